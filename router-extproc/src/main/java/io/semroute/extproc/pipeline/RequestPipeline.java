package io.semroute.extproc.pipeline;

import io.semroute.extproc.envoy.Mutations;
import java.util.List;

/**
 * The routed path (chat completions, completions) as a named sequence of stages. Request side:
 * parse → screen (guards start) → decide → screen verdict (guards awaited) → mutate; the first
 * stage that answers ends it. Response side: announce → read usage → record.
 *
 * <p>{@link #standard} is the one place the stages are put together: a new stage is one class
 * and one line there.
 */
public final class RequestPipeline {
  private final List<RequestStage> requestStages;
  private final List<ResponseStage> responseStages;

  public RequestPipeline(List<RequestStage> requestStages, List<ResponseStage> responseStages) {
    this.requestStages = List.copyOf(requestStages);
    this.responseStages = List.copyOf(responseStages);
  }

  /** The router's pipeline. */
  public static RequestPipeline standard(EndpointPicker endpointPicker, RequestListener listener) {
    return new RequestPipeline(
        List.of(
            new ParseStage(),
            new ScreenStage(),
            new DecideStage(),
            new GuardVerdictStage(),
            new PiiPolicyStage(),
            new MutateStage(endpointPicker)),
        List.of(
            new AnnounceStage(),
            new ReadUsageStage(),
            new RecordStage(listener)));
  }

  /**
   * Runs the request stages on a buffered body. Continue: the reply is built from
   * {@link RequestContext#mutations()}; an answer is already recorded in the context.
   */
  public StageResult onRequest(RequestContext ctx) {
    for (RequestStage stage : requestStages) {
      StageResult result = stage.apply(ctx);
      if (result.answered()) {
        ctx.answeredLocally(result.status());
        return result;
      }
    }
    return StageResult.proceed();
  }

  public void onResponseHeaders(RequestContext ctx, Mutations reply) {
    for (ResponseStage stage : responseStages) {
      stage.onHeaders(ctx, reply);
    }
  }

  public void onResponseBody(RequestContext ctx, byte[] chunk, boolean endOfStream) {
    for (ResponseStage stage : responseStages) {
      stage.onBody(ctx, chunk, endOfStream);
    }
  }

  public void onEnd(RequestContext ctx, boolean cancelled) {
    for (ResponseStage stage : responseStages) {
      stage.onEnd(ctx, cancelled);
    }
  }
}
