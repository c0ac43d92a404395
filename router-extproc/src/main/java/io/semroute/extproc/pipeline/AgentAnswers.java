package io.semroute.extproc.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.extproc.cache.AnswerRenderer;
import io.semroute.extproc.cache.CachedAnswer;
import io.semroute.extproc.clientapi.ClientApi;
import io.semroute.extproc.clientapi.UnreadableAnswerException;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.messages.ChatToMessage;
import io.semroute.extproc.messages.MessagesAnswers;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.responses.ChatToResponse;
import io.semroute.extproc.responses.ResponsesAnswers;
import java.io.IOException;

/**
 * Answers the router gives a Messages or Responses client itself (a refusal, a cached answer): the
 * API's complete object as JSON, or the API's event stream for a client that asked for {@code
 * stream}.
 */
final class AgentAnswers {
  private AgentAnswers() {}

  /** The answer's id for this request, in the API's id style. */
  static String id(RequestContext ctx, String kind) {
    String suffix = ctx.requestId().replaceAll("[^A-Za-z0-9]", "");
    return switch (ctx.api()) {
      case MESSAGES -> "msg_vsr" + kind + suffix;
      case RESPONSES -> "resp_vsr" + kind + suffix;
      case CHAT_COMPLETIONS -> throw new IllegalArgumentException("not an agent API");
    };
  }

  static ObjectNode refusal(RequestContext ctx, String text) {
    return switch (ctx.api()) {
      case MESSAGES -> MessagesAnswers.refusal(id(ctx, "refusal"), ctx.model(), text);
      case RESPONSES ->
          ResponsesAnswers.refusal(
              ctx.client().body(),
              id(ctx, "refusal"),
              System.currentTimeMillis() / 1000,
              ctx.model(),
              text);
      case CHAT_COMPLETIONS -> throw new IllegalArgumentException("not an agent API");
    };
  }

  /**
   * A cached answer for this request, in its API: the stored text rendered as a chat completion and
   * translated like a backend's answer, so a replay has the shape a live answer has.
   */
  static ObjectNode replay(RequestContext ctx, CachedAnswer answer) {
    byte[] chat = AnswerRenderer.render(answer, false, false);
    try {
      byte[] out =
          ctx.api() == ClientApi.MESSAGES
              ? ChatToMessage.translate(chat)
              : ChatToResponse.translate(ctx.client().body(), chat);
      return (ObjectNode) Json.MAPPER.readTree(out);
    } catch (UnreadableAnswerException | IOException e) {
      throw new IllegalStateException("a rendered cache answer does not translate", e);
    }
  }

  /** The ImmediateResponse (status 200) carrying {@code answer}, streamed if the client asked. */
  static ProcessingResponse answer(
      RequestContext ctx, Mutations headers, ObjectNode answer, String details) {
    boolean messages = ctx.api() == ClientApi.MESSAGES;
    if (ctx.stream()) {
      byte[] sse = messages ? MessagesAnswers.stream(answer) : ResponsesAnswers.stream(answer);
      return headers
          .set("cache-control", "no-cache")
          .immediate(200, "text/event-stream", sse, details);
    }
    return headers.immediateJson(
        200, messages ? MessagesAnswers.json(answer) : ResponsesAnswers.json(answer), details);
  }
}
