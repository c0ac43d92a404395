package io.semroute.tools.data;

/** A data file that cannot be used as given; the message names the file and row. */
public final class DataException extends RuntimeException {
  public DataException(String message) {
    super(message);
  }
}
