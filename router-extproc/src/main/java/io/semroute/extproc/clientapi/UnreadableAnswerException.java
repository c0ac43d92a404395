package io.semroute.extproc.clientapi;

/**
 * A backend's answer that cannot be translated (not JSON, not a chat completion). The router then
 * answers the client with that API's 502 error instead.
 */
public final class UnreadableAnswerException extends Exception {
  public UnreadableAnswerException(String message) {
    super(message);
  }
}
