package io.semroute.extproc.envoy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;

/**
 * What the router changes on one message, collected while a request is processed and turned into
 * the one reply for that message: headers to set (always overwrite, see {@link Replies#overwrite})
 * or remove, a replacement body, {@code clear_route_cache}, dynamic metadata, a {@code
 * mode_override}. Stages add to it; only the {@code ...Reply()} methods build protobuf, each for
 * the message type it answers.
 */
public final class Mutations {
  private final HeaderMutation.Builder headers = HeaderMutation.newBuilder();
  private boolean clearRouteCache;
  private byte[] body;
  private Struct dynamicMetadata;
  private ProcessingMode modeOverride;

  /** Sets a header, overwriting any value the client or upstream sent. */
  public Mutations set(String name, String value) {
    headers.addSetHeaders(Replies.overwrite(name, value));
    return this;
  }

  public Mutations remove(String name) {
    headers.addRemoveHeaders(name);
    return this;
  }

  /** Replaces the body; the caller also sets the matching {@code content-length}. */
  public Mutations replaceBody(byte[] newBody) {
    this.body = newBody;
    return this;
  }

  /** Re-match the route after this reply (Envoy honours it only with a header mutation). */
  public Mutations clearRouteCache() {
    this.clearRouteCache = true;
    return this;
  }

  public Mutations dynamicMetadata(Struct metadata) {
    this.dynamicMetadata = metadata;
    return this;
  }

  /** Only honoured on a headers reply (and with {@code allow_mode_override: true}). */
  public Mutations modeOverride(ProcessingMode mode) {
    this.modeOverride = mode;
    return this;
  }

  private boolean changesHeaders() {
    return headers.getSetHeadersCount() > 0 || headers.getRemoveHeadersCount() > 0;
  }

  /** The reply to {@code request_headers}: a bare CONTINUE when nothing changes. */
  public ProcessingResponse requestHeadersReply() {
    if (!changesHeaders() && !clearRouteCache) {
      return Replies.requestHeadersContinue();
    }
    return Replies.requestHeaders(
        CommonResponse.newBuilder()
            .setHeaderMutation(headers)
            .setClearRouteCache(clearRouteCache)
            .build());
  }

  /** The reply to a buffered {@code request_body}: headers, body and metadata in one message. */
  public ProcessingResponse requestBodyReply() {
    CommonResponse.Builder common =
        CommonResponse.newBuilder().setHeaderMutation(headers).setClearRouteCache(clearRouteCache);
    if (body != null) {
      common.setBodyMutation(BodyMutation.newBuilder().setBody(ByteString.copyFrom(body)));
    }
    ProcessingResponse.Builder reply = ProcessingResponse.newBuilder();
    if (dynamicMetadata != null) {
      reply.setDynamicMetadata(dynamicMetadata);
    }
    return reply.setRequestBody(BodyResponse.newBuilder().setResponse(common)).build();
  }

  /** The reply to {@code response_headers}, with the mode override if one was asked for. */
  public ProcessingResponse responseHeadersReply() {
    ProcessingResponse.Builder reply = ProcessingResponse.newBuilder();
    if (modeOverride != null) {
      reply.setModeOverride(modeOverride);
    }
    CommonResponse.Builder common = CommonResponse.newBuilder();
    if (changesHeaders()) {
      common.setHeaderMutation(headers);
    }
    return reply.setResponseHeaders(HeadersResponse.newBuilder().setResponse(common)).build();
  }

  /**
   * A local reply with a JSON body and the headers set here. Only valid as the answer to a request
   * headers or request body message.
   */
  public ProcessingResponse immediateJson(int status, byte[] json, String details) {
    return Replies.immediate(status, "application/json", json, details, headers);
  }

  /**
   * A local reply with any content type (e.g. {@code text/event-stream}) and the headers set here.
   */
  public ProcessingResponse immediate(int status, String contentType, byte[] body, String details) {
    return Replies.immediate(status, contentType, body, details, headers);
  }
}
