package io.semroute.extproc.pipeline;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.extproc.envoy.Replies;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.OpenAiErrors;

/**
 * What a request stage says: go on to the next stage, or answer the client now with this
 * ImmediateResponse (the request never reaches a model).
 *
 * @param status the HTTP status of the answer, 0 to continue
 * @param answer the ImmediateResponse, null to continue
 */
public record StageResult(int status, ProcessingResponse answer) {
  private static final StageResult CONTINUE = new StageResult(0, null);

  public static StageResult proceed() {
    return CONTINUE;
  }

  public static StageResult answer(int status, ProcessingResponse immediate) {
    return new StageResult(status, immediate);
  }

  /** A client error as an OpenAI error body. */
  public static StageResult reject(BadRequestException e) {
    return answer(
        e.status(),
        Replies.immediateJson(e.status(), OpenAiErrors.body(e), "semantic-router: " + e.code()));
  }

  public boolean answered() {
    return answer != null;
  }
}
