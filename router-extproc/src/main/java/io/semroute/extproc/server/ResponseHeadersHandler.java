package io.semroute.extproc.server;

import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.openai.UsageReader;
import java.util.Locale;

/**
 * Upstream response headers: switch SSE to STREAMED so tokens keep flowing (a BUFFERED SSE
 * response would reach the client only when generation ends), and tell the client what the
 * router decided.
 */
public final class ResponseHeadersHandler {

  ProcessingResponse handle(HttpHeaders message, StreamState state) {
    HeaderMap headers = message.getHeaders();
    String status = HeaderMaps.get(headers, ":status");
    state.responseStatus = parseStatus(status);
    String contentType = HeaderMaps.get(headers, "content-type");
    boolean sse =
        contentType != null
            && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");

    ProcessingResponse.Builder reply = ProcessingResponse.newBuilder();
    if (state.decision == null && !message.getEndOfStream()) {
      // Not a request the router routed: nothing to read in its body, so ask Envoy not to hold
      // it back (BUFFERED would delay and buffer e.g. large embedding responses for nothing).
      reply.setModeOverride(
          ProcessingMode.newBuilder()
              .setResponseHeaderMode(HeaderSendMode.SEND)
              .setResponseBodyMode(BodySendMode.NONE)
              .setResponseTrailerMode(HeaderSendMode.SKIP));
    } else if (sse && !message.getEndOfStream()) {
      state.responseStreamed = true;
      // Honoured by Envoy only on a headers reply and only with allow_mode_override: true.
      reply.setModeOverride(
          ProcessingMode.newBuilder()
              .setResponseHeaderMode(HeaderSendMode.SEND)
              .setResponseBodyMode(BodySendMode.STREAMED)
              .setResponseTrailerMode(HeaderSendMode.SKIP));
    }
    RoutingDecision decision = state.decision;
    CommonResponse.Builder common = CommonResponse.newBuilder();
    if (decision != null) {
      state.usageReader = new UsageReader(sse);
      HeaderMutation.Builder mutation =
          HeaderMutation.newBuilder()
              .addSetHeaders(Replies.overwrite(RoutingHeaders.VSR_MODEL, decision.model()));
      if (!decision.explicit()) {
        mutation.addSetHeaders(
            Replies.overwrite(
                RoutingHeaders.VSR_CATEGORY,
                decision.category() == null ? "default" : decision.category()));
        mutation.addSetHeaders(
            Replies.overwrite(RoutingHeaders.VSR_REASONING, decision.reasoning() ? "on" : "off"));
      }
      if (state.pii.found()) {
        mutation.addSetHeaders(
            Replies.overwrite(RoutingHeaders.VSR_PII_TYPES, String.join(",", state.pii.types())));
      }
      common.setHeaderMutation(mutation);
    }
    reply.setResponseHeaders(
        io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse.newBuilder().setResponse(common));
    return reply.build();
  }

  private static int parseStatus(String status) {
    try {
      return status == null ? 0 : Integer.parseInt(status.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
