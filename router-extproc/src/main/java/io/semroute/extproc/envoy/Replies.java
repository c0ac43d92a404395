package io.semroute.extproc.envoy;

import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.TrailersResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import java.nio.charset.StandardCharsets;

/**
 * Builders for every reply the router sends. Each method names the message it answers, so a
 * processor cannot hand back a reply of the wrong type by accident. Replies that change something
 * are collected in {@link Mutations} first.
 */
public final class Replies {
  /** Response body mode for a request the router did not route: Envoy need not hold it back. */
  public static final ProcessingMode RESPONSE_BODY_NONE =
      ProcessingMode.newBuilder()
          .setResponseHeaderMode(HeaderSendMode.SEND)
          .setResponseBodyMode(BodySendMode.NONE)
          .setResponseTrailerMode(HeaderSendMode.SKIP)
          .build();

  /** Response body mode for SSE: every chunk as it arrives, so tokens keep flowing. */
  public static final ProcessingMode RESPONSE_BODY_STREAMED =
      ProcessingMode.newBuilder()
          .setResponseHeaderMode(HeaderSendMode.SEND)
          .setResponseBodyMode(BodySendMode.STREAMED)
          .setResponseTrailerMode(HeaderSendMode.SKIP)
          .build();

  private Replies() {}

  /**
   * A header set with overwrite semantics. Envoy's ext_proc reads only {@code append} (unset or
   * false overwrites) and ignores {@code append_action}; we set {@code append=false} explicitly so
   * a client-supplied value never survives. The value travels in {@code raw_value} only (setting
   * both {@code value} and {@code raw_value} is rejected).
   */
  @SuppressWarnings("deprecation") // append: the only field ext_proc reads (see above)
  public static HeaderValueOption overwrite(String name, String value) {
    return HeaderValueOption.newBuilder()
        .setHeader(
            HeaderValue.newBuilder()
                .setKey(name)
                .setRawValue(ByteString.copyFrom(value, StandardCharsets.UTF_8)))
        .setAppend(BoolValue.of(false))
        .build();
  }

  public static ProcessingResponse requestHeaders(CommonResponse common) {
    return ProcessingResponse.newBuilder()
        .setRequestHeaders(HeadersResponse.newBuilder().setResponse(common))
        .build();
  }

  public static ProcessingResponse requestHeadersContinue() {
    return ProcessingResponse.newBuilder()
        .setRequestHeaders(HeadersResponse.getDefaultInstance())
        .build();
  }

  public static ProcessingResponse requestBodyContinue() {
    return ProcessingResponse.newBuilder()
        .setRequestBody(BodyResponse.getDefaultInstance())
        .build();
  }

  public static ProcessingResponse responseHeadersContinue() {
    return ProcessingResponse.newBuilder()
        .setResponseHeaders(HeadersResponse.getDefaultInstance())
        .build();
  }

  public static ProcessingResponse responseBodyContinue() {
    return ProcessingResponse.newBuilder()
        .setResponseBody(BodyResponse.getDefaultInstance())
        .build();
  }

  /**
   * The reply to a response body message that replaces it: the whole body in BUFFERED mode, this
   * chunk in STREAMED mode (a translated answer).
   */
  public static ProcessingResponse responseBodyReplaced(byte[] body) {
    return ProcessingResponse.newBuilder()
        .setResponseBody(
            BodyResponse.newBuilder()
                .setResponse(
                    CommonResponse.newBuilder()
                        .setBodyMutation(
                            BodyMutation.newBuilder().setBody(ByteString.copyFrom(body)))))
        .build();
  }

  public static ProcessingResponse requestTrailersContinue() {
    return ProcessingResponse.newBuilder()
        .setRequestTrailers(TrailersResponse.getDefaultInstance())
        .build();
  }

  public static ProcessingResponse responseTrailersContinue() {
    return ProcessingResponse.newBuilder()
        .setResponseTrailers(TrailersResponse.getDefaultInstance())
        .build();
  }

  /**
   * A local reply with a JSON body. Only valid as the answer to a request headers or request body
   * message; callers on the response path must not use it.
   */
  public static ProcessingResponse immediateJson(int status, byte[] json, String details) {
    return immediateJson(status, json, details, HeaderMutation.newBuilder());
  }

  /** As {@link #immediateJson(int, byte[], String)}, with extra response headers. */
  static ProcessingResponse immediateJson(
      int status, byte[] json, String details, HeaderMutation.Builder headers) {
    return immediate(status, "application/json", json, details, headers);
  }

  /** A local reply with this content type and body, plus the headers set. */
  static ProcessingResponse immediate(
      int status, String contentType, byte[] body, String details, HeaderMutation.Builder headers) {
    return ProcessingResponse.newBuilder()
        .setImmediateResponse(
            ImmediateResponse.newBuilder()
                .setStatus(HttpStatus.newBuilder().setCodeValue(status))
                .setHeaders(headers.addSetHeaders(overwrite("content-type", contentType)))
                .setBody(ByteString.copyFrom(body))
                .setDetails(details))
        .build();
  }
}
