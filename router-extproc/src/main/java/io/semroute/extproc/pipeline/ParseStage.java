package io.semroute.extproc.pipeline;

import io.semroute.config.RouterConfig;
import io.semroute.extproc.clientapi.ChatRequests;
import io.semroute.extproc.clientapi.ClientRequest;
import io.semroute.extproc.messages.MessagesParser;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.ParsedRequest;
import io.semroute.extproc.openai.RequestParser;
import io.semroute.extproc.responses.ResponsesParser;

/**
 * parse: the body must be a valid request of the client's API (Chat Completions, completions,
 * Messages, Responses) naming {@code auto} or a configured model; anything else is answered with a
 * 4xx error in that API's shape.
 */
public final class ParseStage implements RequestStage {

  @Override
  public StageResult apply(RequestContext ctx) {
    ParsedRequest request = null;
    ClientRequest client;
    try {
      switch (ctx.api()) {
        case MESSAGES -> client = MessagesParser.parse(ctx.body());
        case RESPONSES -> client = ResponsesParser.parse(ctx.body());
        default -> {
          request = RequestParser.parse(ctx.kind(), ctx.body());
          client = ChatRequests.view(request);
        }
      }
    } catch (BadRequestException e) {
      return ClientErrors.reject(ctx.api(), e);
    }
    RouterConfig cfg = ctx.snapshot().config();
    if (!cfg.isAutoModel(client.model()) && cfg.model(client.model()).isEmpty()) {
      return ClientErrors.reject(
          ctx.api(),
          new BadRequestException(
              400,
              "The model `"
                  + client.model()
                  + "` does not exist. Available: "
                  + String.join(", ", cfg.autoModelNames())
                  + ", "
                  + String.join(", ", cfg.models().keySet()),
              "model",
              "model_not_found"));
    }
    if (request != null) {
      ctx.request(request);
    }
    ctx.client(client);
    return StageResult.proceed();
  }
}
