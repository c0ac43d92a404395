package io.semroute.extproc.server;

import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.ModelList;
import io.semroute.extproc.openai.OpenAiErrors;
import io.semroute.extproc.openai.RequestKind;
import java.time.Clock;

/**
 * First message of a stream: remember what the request is, answer {@code GET /v1/models}, and
 * let everything else through.
 *
 * <p>Paths the router does not route pass untouched, with one exception: a client-sent
 * {@code x-selected-model} (or endpoint header) is removed on every path, with the route cache
 * cleared, so a client can never pick a cluster by sending the router's own routing header.
 */
public final class RequestHeadersHandler {
  private final Clock clock;

  public RequestHeadersHandler(Clock clock) {
    this.clock = clock;
  }

  ProcessingResponse handle(HttpHeaders message, StreamState state) {
    HeaderMap headers = message.getHeaders();
    state.method = HeaderMaps.get(headers, ":method");
    String fullPath = HeaderMaps.get(headers, ":path");
    state.path = fullPath == null ? "" : stripQuery(fullPath);
    state.requestId = HeaderMaps.get(headers, "x-request-id");
    state.accept = HeaderMaps.get(headers, "accept");

    if ("GET".equals(state.method) && "/v1/models".equals(state.path)) {
      state.immediateStatus = 200;
      return Replies.immediateJson(
          200,
          ModelList.body(state.engine.config(), clock.instant().getEpochSecond()),
          "semantic-router: model list");
    }
    if ("POST".equals(state.method)) {
      state.kind = RequestKind.forPath(state.path).orElse(null);
      if (state.kind != null && message.getEndOfStream()) {
        BadRequestException e =
            BadRequestException.invalid("request body is required", null);
        state.immediateStatus = 400;
        return Replies.immediateJson(400, OpenAiErrors.body(e), "semantic-router: empty body");
      }
    }
    return stripClientRoutingHeaders(headers);
  }

  private static ProcessingResponse stripClientRoutingHeaders(HeaderMap headers) {
    HeaderMutation.Builder removal = HeaderMutation.newBuilder();
    for (String name : RoutingHeaders.ROUTE_CHOOSING) {
      if (HeaderMaps.has(headers, name)) {
        removal.addRemoveHeaders(name);
      }
    }
    if (removal.getRemoveHeadersCount() == 0) {
      return Replies.requestHeadersContinue();
    }
    // The route may already have been matched on the client's header: re-match after removal.
    return Replies.requestHeaders(
        CommonResponse.newBuilder().setHeaderMutation(removal).setClearRouteCache(true).build());
  }

  private static String stripQuery(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }
}
