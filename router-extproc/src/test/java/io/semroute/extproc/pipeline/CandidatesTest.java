package io.semroute.extproc.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.GuardAction;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.guard.PiiFindings;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The models a request may move to (a model at its limit, an open breaker, a failed attempt): the
 * category's, best first, never one whose PII policy forbids what the request carries.
 */
class CandidatesTest {
  private static final String QWEN = "qwen3-8b";
  private static final String LLAMA = "llama-3.1-8b-instruct";

  private final RouterConfig cfg = StageFixtures.config(GuardAction.REDACT);

  private static RoutingDecision math(String model) {
    return new RoutingDecision(model, "math", 0.9, false, null, "category math", false);
  }

  private static PiiFindings pii(String... types) {
    return new PiiFindings(new TreeSet<>(List.of(types)), types.length);
  }

  @Test
  void anAutoRequestMayMoveToTheCategorysOtherModelsBestFirst() {
    assertThat(Candidates.of(cfg, math(QWEN), PiiFindings.NONE)).containsExactly(QWEN, LLAMA);
    assertThat(Candidates.of(cfg, math(LLAMA), PiiFindings.NONE)).containsExactly(LLAMA, QWEN);
  }

  @Test
  void aMoveNeverWidensThePiiPolicy() {
    // qwen3-8b may see e-mail addresses only
    assertThat(Candidates.of(cfg, math(LLAMA), pii("PHONE_NUMBER"))).containsExactly(LLAMA);
    assertThat(Candidates.of(cfg, math(LLAMA), pii("EMAIL_ADDRESS"))).containsExactly(LLAMA, QWEN);
  }

  @Test
  void aRequestThatNamedItsModelHasThatModelOnlyUnlessItMayFallBackToTheDefault() {
    RoutingDecision named = RoutingDecision.explicit(QWEN);
    assertThat(Candidates.of(cfg, named, PiiFindings.NONE)).containsExactly(QWEN);
    assertThat(Candidates.of(cfg, named, PiiFindings.NONE, true)).containsExactly(QWEN, LLAMA);
  }
}
