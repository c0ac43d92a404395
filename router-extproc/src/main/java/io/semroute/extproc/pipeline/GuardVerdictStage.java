package io.semroute.extproc.pipeline;

import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.extproc.guard.Screening;
import io.semroute.extproc.openai.OpenAiErrors;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * screen, verdict: waits for the guards {@link ScreenStage} started. A jailbreak never reaches a
 * model: Envoy answers the client itself, 400 with code {@code content_filter}, as Azure OpenAI
 * answers filtered prompts (OpenAI SDKs raise it as a client error and, unlike 5xx/429, do not
 * retry it). A guard that could not answer gives 503: a temporary condition worth one retry,
 * never a silent pass. PII found is noted (types and count only) for the headers.
 */
public final class GuardVerdictStage implements RequestStage {
  private static final Logger log = LoggerFactory.getLogger(GuardVerdictStage.class);

  @Override
  public StageResult apply(RequestContext ctx) {
    Screening screening = ctx.screening();
    if (screening.guardUnavailable()) {
      return StageResult.answer(503, new Mutations().immediateJson(503,
          OpenAiErrors.body("The request could not be checked by the jailbreak guard in time;"
              + " please retry.", "server_error", null, "guard_unavailable"),
          "semantic-router: jailbreak guard unavailable"));
    }
    if (screening.jailbreak().blocked()) {
      log.warn("request {}: refused by the jailbreak guard (risk {})", ctx.requestId(),
          String.format(Locale.ROOT, "%.2f", screening.jailbreak().risk()));
      return StageResult.answer(400, new Mutations()
          .set(RoutingHeaders.VSR_JAILBREAK_BLOCKED, "true")
          .immediateJson(400,
              OpenAiErrors.body("The request was refused: it looks like a jailbreak or prompt"
                  + " injection attempt.", "invalid_request_error", "messages", "content_filter"),
              "semantic-router: jailbreak blocked"));
    }
    ctx.pii(screening.pii());
    if (screening.pii().found()) {
      // Types and count only: the values must not end up in logs.
      log.info("request {}: PII noticed: {} ({} entities)", ctx.requestId(),
          screening.pii().types(), screening.pii().count());
    }
    return StageResult.proceed();
  }
}
