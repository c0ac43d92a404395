package io.semroute.extproc.pipeline;

import io.semroute.config.GuardAction;
import io.semroute.config.JailbreakGuardSettings;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.extproc.guard.Screening;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * screen, verdict: waits for the guards {@link ScreenStage} started and applies {@code
 * classifier.jailbreak}:
 *
 * <ul>
 *   <li>the guard fired, {@code action: block}: the router answers ({@link GuardAnswers}: a {@code
 *       content_filter} completion or a 400 error, per {@code response}), with {@code
 *       x-vsr-jailbreak-blocked: true};
 *   <li>the guard fired, {@code action: flag}: forwarded with {@code x-vsr-jailbreak: flagged}
 *       (upstream and to the client) and a WARN log line;
 *   <li>the risk is in the flag band ({@code flag_threshold} up to {@code block_threshold}):
 *       forwarded the same way, with an INFO log line, whatever the action;
 *   <li>the guard could not answer in time: {@code on_error: block} gives 503 {@code
 *       guard_unavailable} (a temporary condition worth one retry, never a silent pass); {@code
 *       on_error: allow} forwards with {@code x-vsr-jailbreak: unchecked}.
 * </ul>
 *
 * PII found is noted (types and count only) for {@link PiiPolicyStage} and the headers.
 */
public final class GuardVerdictStage implements RequestStage {
  private static final Logger log = LoggerFactory.getLogger(GuardVerdictStage.class);

  static final String REFUSAL =
      "I can't help with that request: it was stopped by a content"
          + " filter because it looks like an attempt to override the assistant's instructions"
          + " (jailbreak or prompt injection).";

  @Override
  public StageResult apply(RequestContext ctx) {
    Screening screening = ctx.screening();
    JailbreakGuardSettings settings = ctx.snapshot().config().classifier().jailbreak();
    if (screening.guardUnavailable()) {
      if (settings.blockOnError()) {
        return StageResult.answer(
            503,
            new Mutations()
                .immediateJson(
                    503,
                    ClientErrors.body(
                        ctx.api(),
                        503,
                        "The request could not be checked by the jailbreak guard in time;"
                            + " please retry.",
                        "server_error",
                        null,
                        "guard_unavailable"),
                    "semantic-router: jailbreak guard unavailable"));
      }
      log.warn(
          "request {}: jailbreak guard unavailable, forwarding unchecked (on_error: allow)",
          ctx.requestId());
      ctx.jailbreakMark(JailbreakMark.UNCHECKED);
    } else if (screening.jailbreak().blocked()) {
      String risk = String.format(Locale.ROOT, "%.2f", screening.jailbreak().risk());
      if (settings.action() == GuardAction.FLAG) {
        log.warn(
            "request {}: flagged by the jailbreak guard (risk {}), forwarded (action: flag)",
            ctx.requestId(),
            risk);
        ctx.jailbreakMark(JailbreakMark.FLAGGED);
      } else {
        log.warn("request {}: refused by the jailbreak guard (risk {})", ctx.requestId(), risk);
        return GuardAnswers.refuse(
            ctx,
            new Mutations().set(RoutingHeaders.VSR_JAILBREAK_BLOCKED, "true"),
            settings.response(),
            REFUSAL,
            "The request was refused: it looks like a jailbreak or prompt injection attempt.",
            "semantic-router: jailbreak blocked");
      }
    } else if (screening.jailbreak().flagged()) {
      // Doubtful, not refused: the user gets an answer and an operator can review the log line.
      log.info(
          "request {}: flagged by the jailbreak guard (risk {} in the flag band), forwarded",
          ctx.requestId(),
          String.format(Locale.ROOT, "%.2f", screening.jailbreak().risk()));
      ctx.jailbreakMark(JailbreakMark.FLAGGED);
    }
    if (ctx.jailbreakMark() != null) {
      ctx.mutations().set(RoutingHeaders.VSR_JAILBREAK, ctx.jailbreakMark().label());
    }
    ctx.pii(screening.pii());
    if (screening.pii().found()) {
      // Types and count only: the values must not end up in logs.
      log.info(
          "request {}: PII noticed: {} ({} entities)",
          ctx.requestId(),
          screening.pii().types(),
          screening.pii().count());
    }
    return StageResult.proceed();
  }
}
