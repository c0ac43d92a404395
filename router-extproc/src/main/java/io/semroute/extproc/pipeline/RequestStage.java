package io.semroute.extproc.pipeline;

/**
 * One step of the routed request path. Stages are shared by all requests (thread-safe, no
 * per-request fields); what a request's stages find goes into its {@link RequestContext}.
 */
public interface RequestStage {
  /** Reads and writes {@code ctx}; returns {@link StageResult#proceed()} or an answer. */
  StageResult apply(RequestContext ctx);

  /**
   * Whether the stage has anything to do for this request (its config): a stage that does not is
   * skipped, and neither timed nor traced.
   */
  default boolean appliesTo(RequestContext ctx) {
    return true;
  }
}
