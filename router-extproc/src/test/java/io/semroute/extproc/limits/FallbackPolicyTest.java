package io.semroute.extproc.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.ResilienceSettings;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which failures are retried and on which model. */
class FallbackPolicyTest {
  private static final List<String> CANDIDATES = List.of("a", "b", "c");

  @Test
  void onlyFailuresBeforeAnAnswerThatAnotherModelCouldFixAreRetried() {
    assertThat(FallbackPolicy.retryableStatus(429)).isTrue();
    assertThat(FallbackPolicy.retryableStatus(502)).isTrue();
    assertThat(FallbackPolicy.retryableStatus(503)).isTrue();
    assertThat(FallbackPolicy.retryableStatus(504)).isTrue();
    assertThat(FallbackPolicy.retryableStatus(500)).isFalse();
    assertThat(FallbackPolicy.retryableStatus(400)).isFalse();
    assertThat(FallbackPolicy.retryableStatus(200)).isFalse();
  }

  @Test
  void theNextUntriedAllowedCandidateUpToMaxAttempts() {
    FallbackPolicy p = new FallbackPolicy(new ResilienceSettings.Fallback(true, 3, false));
    assertThat(p.next(CANDIDATES, List.of("a"), false, m -> true)).contains("b");
    // b may not see this request's PII: skipped, never widened.
    assertThat(p.next(CANDIDATES, List.of("a"), false, m -> !m.equals("b"))).contains("c");
    assertThat(p.next(CANDIDATES, List.of("b"), false, m -> true)).contains("a");
    assertThat(p.next(CANDIDATES, List.of("a", "b"), false, m -> true)).contains("c");
    assertThat(p.next(CANDIDATES, List.of("a", "b", "c"), false, m -> true)).isEmpty();
    FallbackPolicy two = new FallbackPolicy(new ResilienceSettings.Fallback(true, 2, false));
    assertThat(two.next(CANDIDATES, List.of("a", "b"), false, m -> true)).isEmpty();
    assertThat(p.next(CANDIDATES, Set.of("a"), false, m -> false)).isEmpty();
  }

  @Test
  void aNamedModelIsRetriedElsewhereOnlyWhenConfigured() {
    FallbackPolicy p = new FallbackPolicy(new ResilienceSettings.Fallback(true, 3, false));
    assertThat(p.next(CANDIDATES, List.of("a"), true, m -> true)).isEmpty();
    FallbackPolicy yes = new FallbackPolicy(new ResilienceSettings.Fallback(true, 3, true));
    assertThat(yes.next(CANDIDATES, List.of("a"), true, m -> true)).contains("b");
  }

  @Test
  void offNeverRetries() {
    FallbackPolicy off = new FallbackPolicy(ResilienceSettings.Fallback.OFF);
    assertThat(off.next(CANDIDATES, List.of("a"), false, m -> true)).isEmpty();
  }
}
