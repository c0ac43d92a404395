package io.semroute.extproc.pipeline;

import io.semroute.config.RouterConfig;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.ParsedRequest;
import io.semroute.extproc.openai.RequestParser;

/**
 * parse: the body must be a valid OpenAI request naming {@code auto} or a configured model;
 * anything else is answered with a 4xx OpenAI error.
 */
public final class ParseStage implements RequestStage {

  @Override
  public StageResult apply(RequestContext ctx) {
    ParsedRequest request;
    try {
      request = RequestParser.parse(ctx.kind(), ctx.body());
    } catch (BadRequestException e) {
      return StageResult.reject(e);
    }
    RouterConfig cfg = ctx.snapshot().config();
    if (!cfg.isAutoModel(request.model()) && cfg.model(request.model()).isEmpty()) {
      return StageResult.reject(
          new BadRequestException(
              400,
              "The model `"
                  + request.model()
                  + "` does not exist. Available: "
                  + String.join(", ", cfg.autoModelNames())
                  + ", "
                  + String.join(", ", cfg.models().keySet()),
              "model",
              "model_not_found"));
    }
    ctx.request(request);
    return StageResult.proceed();
  }
}
