package io.semroute.extproc.processor;

import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.config.Listeners;
import io.semroute.extproc.attempt.AttemptHeaders;
import io.semroute.extproc.envoy.HeaderMaps;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.envoy.Replies;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.RequestKind;
import io.semroute.extproc.pipeline.Admission;
import io.semroute.extproc.pipeline.ClientErrors;
import io.semroute.extproc.pipeline.RequestContext;
import io.semroute.extproc.pipeline.RequestInfo;
import io.semroute.extproc.pipeline.RequestPipeline;
import io.semroute.extproc.pipeline.RouterSnapshot;
import io.semroute.extproc.pipeline.StageResult;
import java.util.Locale;

/**
 * {@code POST /v1/chat/completions}, {@code /v1/completions}, {@code /v1/messages} and {@code
 * /v1/responses}: the buffered body runs through the {@link RequestPipeline}'s request stages, the
 * response through its response stages. This class only speaks the protocol (which message, which
 * reply, SSE → STREAMED); what happens to the request is the pipeline's.
 */
final class RoutedProcessor implements Processor {
  private final RequestPipeline pipeline;
  private final RequestContext ctx;
  private final Admission admission;

  RoutedProcessor(
      RequestPipeline pipeline,
      RouterSnapshot snapshot,
      RequestKind kind,
      RequestInfo info,
      Admission admission) {
    this(pipeline, new RequestContext(snapshot, kind, info), admission);
  }

  RoutedProcessor(RequestPipeline pipeline, RequestContext ctx, Admission admission) {
    this.pipeline = pipeline;
    this.admission = admission;
    this.ctx = ctx;
    pipeline.onStart(ctx);
  }

  @Override
  public RequestInfo info() {
    return ctx.info();
  }

  @Override
  public ProcessingResponse requestHeaders(HttpHeaders message) {
    if (message.getEndOfStream()) {
      ctx.answeredLocally(400);
      return Replies.immediateJson(
          400,
          ClientErrors.body(
              ctx.api(), BadRequestException.invalid("request body is required", null)),
          "semantic-router: empty body");
    }
    ctx.requestHeaders(message.getHeaders());
    return PassThroughProcessor.stripClientRoutingHeaders(message.getHeaders());
  }

  @Override
  public ProcessingResponse requestBody(HttpBody message) {
    if (!message.getEndOfStream()) {
      // Only BUFFERED mode delivers the whole body at once; with chunks the router could not
      // rewrite what already went upstream, so it refuses loudly instead of routing blindly.
      ctx.answeredLocally(500);
      return Replies.immediateJson(
          500,
          ClientErrors.body(
              ctx.api(),
              500,
              "semantic router misconfigured: Envoy must send the request body BUFFERED",
              "server_error",
              null,
              "router_misconfigured"),
          "semantic-router: request body not buffered");
    }
    ctx.body(message.getBody().toByteArray());
    boolean admitted = admission.tryEnter();
    if (!admitted) {
      if (admission.onOverload() == Listeners.Overload.REJECT) {
        ctx.answeredLocally(503);
        return Replies.immediateJson(
            503,
            ClientErrors.body(
                ctx.api(),
                503,
                "the router is overloaded ("
                    + admission.limit()
                    + " requests are being classified); retry shortly",
                "server_error",
                null,
                "overloaded"),
            "semantic-router: overloaded");
      }
      // Fail open: the pipeline routes it without classifiers (see RequestContext#overloaded).
      ctx.overloaded(admission.limit());
    }
    try {
      StageResult result = pipeline.onRequest(ctx);
      return result.answered() ? result.answer() : ctx.mutations().requestBodyReply();
    } finally {
      if (admitted) {
        admission.leave();
      }
    }
  }

  @Override
  public ProcessingResponse responseHeaders(HttpHeaders message) {
    int status = PassThroughProcessor.statusOf(message.getHeaders());
    if (ctx.routedDecision() == null) {
      ctx.response(status, false, false);
      return PassThroughProcessor.unroutedResponseHeaders(message);
    }
    String contentType = HeaderMaps.get(message.getHeaders(), "content-type");
    boolean sse =
        contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    boolean streamed = sse && !message.getEndOfStream();
    ctx.response(status, sse, streamed);
    ctx.attemptModel(HeaderMaps.get(message.getHeaders(), AttemptHeaders.ATTEMPT_MODEL));
    ctx.attemptFallbackFrom(HeaderMaps.get(message.getHeaders(), AttemptHeaders.FALLBACK_FROM));
    Mutations reply = new Mutations();
    if (streamed) {
      // A BUFFERED SSE response would reach the client only when generation ends.
      reply.modeOverride(Replies.RESPONSE_BODY_STREAMED);
    }
    pipeline.onResponseHeaders(ctx, reply);
    return reply.responseHeadersReply();
  }

  @Override
  public ProcessingResponse responseBody(HttpBody message) {
    if (ctx.routedDecision() != null) {
      byte[] translated =
          pipeline.onResponseBody(ctx, message.getBody().toByteArray(), message.getEndOfStream());
      if (translated != null) {
        return Replies.responseBodyReplaced(translated);
      }
    }
    return Replies.responseBodyContinue();
  }

  @Override
  public void answeredLocally(int status) {
    ctx.answeredLocally(status);
  }

  @Override
  public void finish(boolean cancelled) {
    pipeline.onEnd(ctx, cancelled);
  }
}
