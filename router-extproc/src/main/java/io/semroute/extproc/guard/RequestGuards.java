package io.semroute.extproc.guard;

import io.semroute.extproc.openai.ParsedRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guards of one config snapshot: jailbreak (may be null = off) and PII (may be null = off).
 * {@link #start} queues their work at once so it runs beside the category classification; {@link
 * Pending#await} collects it.
 *
 * <p>Failure policy: a jailbreak check that cannot answer (deadline, overload) fails closed — the
 * request is refused with a 503 rather than forwarded unchecked, because skipping a configured
 * guard silently is what the reference router's users complained about. A PII scan that cannot
 * answer is logged at WARN and the request goes on without a PII notice.
 */
public final class RequestGuards {
  private static final Logger log = LoggerFactory.getLogger(RequestGuards.class);
  public static final RequestGuards NONE = new RequestGuards(null, null);

  private final JailbreakGuard jailbreak;
  private final PiiScanner pii;

  public RequestGuards(JailbreakGuard jailbreak, PiiScanner pii) {
    this.jailbreak = jailbreak;
    this.pii = pii;
  }

  /** Jailbreak on the user turns only (user-turn texts; the client's own words). */
  public Pending start(List<String> userTurns) {
    return start(userTurns, List.of());
  }

  /**
   * @param userTurns what the jailbreak guard reads (user turns, or the prompts)
   * @param clientTexts what the PII scan reads: every client-supplied string (user turns, tool
   *     results, content parts, prompts)
   */
  public Pending start(List<String> userTurns, List<ParsedRequest.ClientText> clientTexts) {
    return new Pending(
        jailbreak == null || userTurns.isEmpty() ? null : jailbreak.check(userTurns),
        pii == null || clientTexts.isEmpty() ? null : pii.scan(clientTexts));
  }

  /**
   * Screening that did not run (the router is overloaded): the jailbreak guard, when configured,
   * counts as failed, so its {@code on_error} decides; the PII scan as a failed scan (forwarded
   * without a PII notice, as when the PII model fails; operators who cannot accept that set {@code
   * listeners.on_overload: reject}).
   */
  public Pending unavailable(String why) {
    return new Pending(
        jailbreak == null ? null : CompletableFuture.failedFuture(new IllegalStateException(why)),
        pii == null ? null : CompletableFuture.failedFuture(new IllegalStateException(why)));
  }

  public JailbreakGuard jailbreak() {
    return jailbreak;
  }

  public PiiScanner pii() {
    return pii;
  }

  /** Guard work under way for one request. */
  public static final class Pending {
    private final CompletableFuture<JailbreakVerdict> jailbreak;
    private final CompletableFuture<PiiFindings> pii;

    Pending(CompletableFuture<JailbreakVerdict> jailbreak, CompletableFuture<PiiFindings> pii) {
      this.jailbreak = jailbreak;
      this.pii = pii;
    }

    /** Waits for the guards (bounded by the batchers' deadlines). */
    public Screening await(String requestId) {
      JailbreakVerdict verdict = JailbreakVerdict.NOT_CHECKED;
      boolean guardFailed = false;
      if (jailbreak != null) {
        try {
          verdict = jailbreak.join();
        } catch (RuntimeException e) {
          log.warn(
              "request {}: jailbreak check failed (on_error decides: block or allow): {}",
              requestId,
              rootMessage(e));
          guardFailed = true;
        }
      }
      PiiFindings findings = PiiFindings.NONE;
      if (pii != null) {
        try {
          findings = pii.join();
        } catch (RuntimeException e) {
          log.warn(
              "request {}: PII scan failed, forwarding without a PII notice: {}",
              requestId,
              rootMessage(e));
        }
      }
      return new Screening(verdict, guardFailed, findings);
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }
}
