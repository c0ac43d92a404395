package io.semroute.extproc.pipeline;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.extproc.clientapi.ClientApi;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.messages.MessagesErrors;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.OpenAiErrors;
import io.semroute.extproc.responses.ResponsesErrors;

/**
 * An error the router answers itself, in the error shape of the API the client speaks: OpenAI's
 * {@code {"error":{...}}} for Chat Completions and Responses, Anthropic's {@code
 * {"type":"error","error":{...}}} for Messages. Always JSON with the HTTP status, also for a
 * streamed request: both SDKs read an error status before any stream starts.
 */
public final class ClientErrors {
  private ClientErrors() {}

  public static byte[] body(
      ClientApi api, int status, String message, String type, String param, String code) {
    return switch (api) {
      case MESSAGES -> MessagesErrors.json(status, message);
      case RESPONSES -> ResponsesErrors.json(message, type, code);
      case CHAT_COMPLETIONS -> OpenAiErrors.body(message, type, param, code);
    };
  }

  public static byte[] body(ClientApi api, BadRequestException e) {
    return api == ClientApi.MESSAGES ? MessagesErrors.json(e) : OpenAiErrors.body(e);
  }

  /** The ImmediateResponse for a refused request. */
  public static ProcessingResponse reply(ClientApi api, BadRequestException e) {
    return new Mutations().immediateJson(e.status(), body(api, e), "semantic-router: " + e.code());
  }

  public static StageResult reject(ClientApi api, BadRequestException e) {
    return api == ClientApi.CHAT_COMPLETIONS
        ? StageResult.reject(e)
        : StageResult.answer(e.status(), reply(api, e));
  }
}
