package io.semroute.extproc.processor;

import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.extproc.envoy.HeaderMaps;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.envoy.Replies;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.extproc.pipeline.RequestInfo;
import io.semroute.extproc.pipeline.RequestListener;
import io.semroute.extproc.pipeline.RequestSummary;

/**
 * Every path the router does not route: passes untouched, with one exception — a client-sent {@code
 * x-selected-model} (or endpoint header) is removed, with the route cache cleared, so a client can
 * never pick a cluster by sending the router's own routing header (and the router's own request
 * headers, such as {@code x-vsr-fallback-exclude}, are removed too). The response body is not asked
 * for (mode NONE): the router has no use for it.
 */
class PassThroughProcessor implements Processor {
  private final RequestInfo info;
  private final RequestListener listener;
  private int immediateStatus;
  private int responseStatus;

  PassThroughProcessor(RequestInfo info, RequestListener listener) {
    this.info = info;
    this.listener = listener;
  }

  @Override
  public RequestInfo info() {
    return info;
  }

  @Override
  public ProcessingResponse requestHeaders(HttpHeaders message) {
    return stripClientRoutingHeaders(message.getHeaders());
  }

  @Override
  public ProcessingResponse requestBody(HttpBody message) {
    return Replies.requestBodyContinue();
  }

  @Override
  public ProcessingResponse responseHeaders(HttpHeaders message) {
    responseStatus = statusOf(message.getHeaders());
    return unroutedResponseHeaders(message);
  }

  @Override
  public ProcessingResponse responseBody(HttpBody message) {
    return Replies.responseBodyContinue();
  }

  @Override
  public void answeredLocally(int status) {
    immediateStatus = status;
  }

  @Override
  public void finish(boolean cancelled) {
    listener.onRequestDone(
        RequestSummary.unrouted(info, immediateStatus, responseStatus, cancelled));
  }

  /**
   * Removes route-choosing headers a client sent (the route may already have matched on them, so
   * the route cache is cleared), and the router's own request headers ({@link
   * RoutingHeaders#ROUTER_ONLY}, read from the message before this reply): the backend sees
   * neither.
   */
  static ProcessingResponse stripClientRoutingHeaders(HeaderMap headers) {
    Mutations removal = new Mutations();
    for (String name : RoutingHeaders.ROUTE_CHOOSING) {
      if (HeaderMaps.has(headers, name)) {
        removal.remove(name).clearRouteCache();
      }
    }
    for (String name : RoutingHeaders.ROUTER_ONLY) {
      if (HeaderMaps.has(headers, name)) {
        removal.remove(name);
      }
    }
    return removal.requestHeadersReply();
  }

  /**
   * Nothing to read in the body of a request the router did not route, so Envoy is asked not to
   * hold it back (BUFFERED would delay and buffer e.g. large embedding responses for nothing).
   */
  static ProcessingResponse unroutedResponseHeaders(HttpHeaders message) {
    Mutations reply = new Mutations();
    if (!message.getEndOfStream()) {
      reply.modeOverride(Replies.RESPONSE_BODY_NONE);
    }
    return reply.responseHeadersReply();
  }

  static int statusOf(HeaderMap headers) {
    String status = HeaderMaps.get(headers, ":status");
    try {
      return status == null ? 0 : Integer.parseInt(status.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
