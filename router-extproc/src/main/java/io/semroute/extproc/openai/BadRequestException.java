package io.semroute.extproc.openai;

/** A client error that becomes an OpenAI-style 4xx error reply. */
public final class BadRequestException extends Exception {
  private final int status;
  private final String param;
  private final String code;

  public BadRequestException(int status, String message, String param, String code) {
    super(message);
    this.status = status;
    this.param = param;
    this.code = code;
  }

  public static BadRequestException invalid(String message, String param) {
    return new BadRequestException(400, message, param, "invalid_request_error");
  }

  public int status() {
    return status;
  }

  public String param() {
    return param;
  }

  public String code() {
    return code;
  }
}
