package io.semroute.extproc.pipeline;

import io.semroute.config.BlockResponse;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.openai.Refusals;

/**
 * A guard's refusal in the configured form ({@code response: completion | error}), answered by
 * Envoy itself (the request never reaches a model):
 *
 * <ul>
 *   <li>{@code completion}: {@code 200} with an OpenAI completion whose {@code finish_reason} is
 *       {@code content_filter} and the refusal text as the assistant's message; when the request
 *       asked for {@code stream: true}, the same as {@code text/event-stream} ending in {@code
 *       data: [DONE]}. Chat UIs show it as an answer instead of an error.
 *   <li>{@code error}: {@code 400} OpenAI error JSON, {@code code: content_filter} (Azure OpenAI's
 *       convention; SDKs raise it as a client error and do not retry it).
 * </ul>
 *
 * <p>A Messages or Responses client gets the same in its own API: a {@code message} with {@code
 * stop_reason: refusal}, a {@code response} with a refusal part (as that API's event stream when it
 * asked for one), or that API's error.
 */
final class GuardAnswers {
  private GuardAnswers() {}

  static StageResult refuse(
      RequestContext ctx,
      Mutations headers,
      BlockResponse form,
      String refusalText,
      String errorMessage,
      String details) {
    if (form == BlockResponse.ERROR) {
      return StageResult.answer(
          400,
          headers.immediateJson(
              400,
              ClientErrors.body(
                  ctx.api(),
                  400,
                  errorMessage,
                  "invalid_request_error",
                  "messages",
                  "content_filter"),
              details));
    }
    if (ctx.agentApi()) {
      return StageResult.answer(
          200, AgentAnswers.answer(ctx, headers, AgentAnswers.refusal(ctx, refusalText), details));
    }
    String id = "chatcmpl-vsr-" + ctx.requestId();
    String model = ctx.model();
    long created = System.currentTimeMillis() / 1000;
    if (ctx.stream()) {
      return StageResult.answer(
          200,
          headers
              .set("cache-control", "no-cache")
              .immediate(
                  200,
                  "text/event-stream",
                  Refusals.stream(ctx.kind(), id, model, created, refusalText),
                  details));
    }
    return StageResult.answer(
        200,
        headers.immediateJson(
            200, Refusals.completion(ctx.kind(), id, model, created, refusalText), details));
  }
}
