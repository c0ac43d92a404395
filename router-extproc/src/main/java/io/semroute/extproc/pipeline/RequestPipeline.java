package io.semroute.extproc.pipeline;

import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.metrics.RouterMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The routed path (chat completions, completions) as a named sequence of stages. Request side:
 * parse → screen (guards start) → cache look-up → decide → screen verdict (guards awaited) → limit
 * → mutate; the first stage that answers ends it. Response side: announce → read usage → limit
 * account → cache store → decision log → metrics → record.
 *
 * <p>{@link #standard} is the one place the stages are put together: a new stage is one class and
 * one line there.
 */
public final class RequestPipeline {
  private final List<RequestStage> requestStages;
  private final List<ResponseStage> responseStages;

  private final Tracing tracing;

  public RequestPipeline(
      List<RequestStage> requestStages, List<ResponseStage> responseStages, Tracing tracing) {
    this.requestStages = List.copyOf(requestStages);
    this.responseStages = List.copyOf(responseStages);
    this.tracing = tracing;
  }

  /**
   * The router's pipeline.
   *
   * @param metrics where the metrics stage reports, or null for none
   * @param tracing spans per stage ({@link Tracing#OFF} for none)
   */
  public static RequestPipeline standard(
      EndpointPicker endpointPicker,
      RequestListener listener,
      RouterMetrics metrics,
      Tracing tracing) {
    List<ResponseStage> response =
        new ArrayList<>(
            List.of(
                new AnnounceStage(),
                new ReadUsageStage(),
                new LimitAccountStage(),
                new CacheStoreStage(),
                new DecisionLogStage()));
    if (metrics != null) {
      response.add(new MetricsStage(metrics));
    }
    response.add(new RecordStage(listener));
    return new RequestPipeline(
        List.of(
            new ParseStage(),
            new ScreenStage(),
            new CacheLookupStage(),
            new DecideStage(),
            new GuardVerdictStage(),
            new PiiPolicyStage(),
            new LimitStage(metrics == null ? null : metrics.fleet()),
            new MutateStage(endpointPicker)),
        response,
        tracing);
  }

  /** Called when a routed request's headers arrive: starts its stream span. */
  public void onStart(RequestContext ctx) {
    ctx.streamSpan(tracing.startStream(ctx.info()));
  }

  /**
   * Runs the request stages on a buffered body. Continue: the reply is built from {@link
   * RequestContext#mutations()}; an answer is already recorded in the context.
   */
  public StageResult onRequest(RequestContext ctx) {
    ctx.bodyNanos(System.nanoTime());
    try {
      for (RequestStage stage : requestStages) {
        if (!stage.appliesTo(ctx)) {
          continue;
        }
        long start = System.nanoTime();
        StageResult result;
        try (var span = tracing.stage(ctx, stageName(stage))) {
          result = stage.apply(ctx);
        }
        ctx.stageTime(stageName(stage), System.nanoTime() - start);
        if (result.answered()) {
          ctx.answeredLocally(result.status());
          return result;
        }
      }
      return StageResult.proceed();
    } finally {
      ctx.routedNanos(System.nanoTime());
    }
  }

  /** {@code ParseStage} → {@code parse}: the name in decision logs and spans. */
  static String stageName(Object stage) {
    String n = stage.getClass().getSimpleName();
    n = n.endsWith("Stage") ? n.substring(0, n.length() - "Stage".length()) : n;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        out.append('_');
      }
      out.append(Character.toLowerCase(c));
    }
    return out.toString();
  }

  public void onResponseHeaders(RequestContext ctx, Mutations reply) {
    for (ResponseStage stage : responseStages) {
      stage.onHeaders(ctx, reply);
    }
  }

  public void onResponseBody(RequestContext ctx, byte[] chunk, boolean endOfStream) {
    if (ctx.firstResponseBodyNanos() == 0) {
      ctx.firstResponseBodyNanos(System.nanoTime());
    }
    for (ResponseStage stage : responseStages) {
      stage.onBody(ctx, chunk, endOfStream);
    }
  }

  /** The stream ended: its {@link RequestSummary} is made once and handed to every stage. */
  public void onEnd(RequestContext ctx, boolean cancelled) {
    RequestSummary summary = null;
    try {
      if (ctx.limitHold() != null) {
        ctx.limitHold().close(ctx);
      }
      summary = RequestSummary.of(ctx, cancelled);
      for (ResponseStage stage : responseStages) {
        stage.onEnd(summary);
      }
    } finally {
      Tracing.endStream(ctx.streamSpan(), summary);
    }
  }
}
