package io.semroute.extproc.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.classifiers.DetectedEntity;
import io.semroute.extproc.decision.Classification;
import io.semroute.extproc.decision.ClassificationFailedException;
import io.semroute.extproc.decision.DecisionReason;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.guard.JailbreakGuard;
import io.semroute.extproc.guard.JailbreakVerdict;
import io.semroute.extproc.guard.PiiScanner;
import io.semroute.extproc.pipeline.RouterSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The classification endpoints: one text through the category classifier and decision, the PII
 * detector or the jailbreak guard of the current config, or up to {@link #MAX_BATCH_TEXTS} texts
 * through one of them.
 */
final class ClassifyHandlers {
  /** Most texts in one {@code /batch} call. */
  static final int MAX_BATCH_TEXTS = 100;

  private final Supplier<RouterSnapshot> snapshots;

  /**
   * @param snapshots the current snapshot; the route table lets requests through only once there is
   *     one
   */
  ClassifyHandlers(Supplier<RouterSnapshot> snapshots) {
    this.snapshots = snapshots;
  }

  ApiResponse intent(ApiRequest request) throws IOException {
    JsonNode body = request.jsonObject();
    return ApiResponse.ok(intent(snapshots.get(), text(body, "text"), returnProbabilities(body)));
  }

  ApiResponse pii(ApiRequest request) throws IOException {
    return ApiResponse.ok(pii(snapshots.get(), text(request.jsonObject(), "text")));
  }

  ApiResponse security(ApiRequest request) throws IOException {
    return ApiResponse.ok(security(snapshots.get(), text(request.jsonObject(), "text")));
  }

  ApiResponse batch(ApiRequest request) throws IOException {
    return ApiResponse.ok(batch(snapshots.get(), request.jsonObject()));
  }

  static IntentResponse intent(RouterSnapshot snap, String text, boolean probabilities) {
    long start = System.nanoTime();
    Classification c;
    RoutingDecision d;
    try {
      c = snap.decision().classify(List.of(text));
      d = snap.decision().decideFor(c);
    } catch (ClassificationFailedException e) {
      throw new ApiError(
          503,
          "the category classifier could not answer: " + e.getMessage(),
          null,
          "classifier_unavailable");
    }
    return new IntentResponse(
        new IntentResponse.TopCategory(
            c.hasCategory() ? c.category() : "unknown", c.confidence(), ms(start)),
        probabilities ? c.scores() : null,
        d.model(),
        DecisionReason.of(d).label(),
        d.reasoning(),
        d.reasoningEffort(),
        d.reason());
  }

  static PiiResponse pii(RouterSnapshot snap, String text) {
    long start = System.nanoTime();
    PiiScanner scanner = snap.guards().pii();
    if (scanner == null) {
      throw new ApiError(
          409, "PII detection is off in this config (classifier.pii)", null, "classifier_disabled");
    }
    List<DetectedEntity> spans = join(scanner.detector().entities(text), "PII detector");
    List<PiiResponse.Entity> entities =
        spans.stream()
            .map(
                s ->
                    new PiiResponse.Entity(
                        s.type(),
                        text.substring(s.start(), s.end()),
                        s.score(),
                        s.start(),
                        s.end()))
            .toList();
    return new PiiResponse(!spans.isEmpty(), entities, ms(start));
  }

  static SecurityResponse security(RouterSnapshot snap, String text) {
    long start = System.nanoTime();
    JailbreakGuard guard = snap.guards().jailbreak();
    if (guard == null) {
      throw new ApiError(
          409,
          "the jailbreak guard is off in this config (classifier.jailbreak)",
          null,
          "classifier_disabled");
    }
    JailbreakVerdict v = join(guard.check(List.of(text)), "jailbreak guard");
    return new SecurityResponse(
        v.blocked(),
        v.risk(),
        v.blocked() ? v.risk() : 1.0 - v.risk(),
        guard.threshold(),
        v.blocked() ? List.of("jailbreak") : List.of(),
        ms(start));
  }

  static BatchResponse batch(RouterSnapshot snap, JsonNode request) {
    long start = System.nanoTime();
    JsonNode texts = request.get("texts");
    if (texts == null || !texts.isArray() || texts.isEmpty()) {
      throw new ApiError(
          400, "'texts' must be a non-empty array of strings", "texts", "invalid_texts");
    }
    if (texts.size() > MAX_BATCH_TEXTS) {
      throw new ApiError(
          400,
          "at most " + MAX_BATCH_TEXTS + " texts per batch, got " + texts.size(),
          "texts",
          "too_many_texts");
    }
    String task = request.path("task_type").asText("intent");
    List<ClassifyResult> results = new ArrayList<>();
    // Each text is checked just before it is classified, so the first bad entry names the error.
    for (JsonNode t : texts) {
      if (!t.isTextual() || t.asText().isEmpty()) {
        throw new ApiError(
            400, "every entry of 'texts' must be a non-empty string", "texts", "invalid_texts");
      }
      results.add(
          switch (task) {
            case "intent" -> intent(snap, t.asText(), returnProbabilities(request));
            case "pii" -> pii(snap, t.asText());
            case "security" -> security(snap, t.asText());
            default ->
                throw new ApiError(
                    400,
                    "task_type must be intent, pii or security, got '" + task + "'",
                    "task_type",
                    "invalid_task_type");
          });
    }
    return new BatchResponse(List.copyOf(results), task, results.size(), ms(start));
  }

  private static String text(JsonNode request, String field) {
    JsonNode t = request.get(field);
    if (t == null || !t.isTextual() || t.asText().isEmpty()) {
      throw new ApiError(400, "'" + field + "' must be a non-empty string", field, "invalid_text");
    }
    return t.asText();
  }

  private static boolean returnProbabilities(JsonNode request) {
    return request.path("options").path("return_probabilities").asBoolean(true);
  }

  private static <T> T join(CompletableFuture<T> f, String what) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw new ApiError(
          503, what + " could not answer: " + e.getCause(), null, "classifier_unavailable");
    }
  }

  private static double ms(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0;
  }
}
