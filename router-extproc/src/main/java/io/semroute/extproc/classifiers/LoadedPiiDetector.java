package io.semroute.extproc.classifiers;

import io.semroute.classifier.TokenClassification;
import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.classifier.batch.MicroBatcher;
import io.semroute.classifier.batch.SharedHead;
import io.semroute.classifier.pii.PiiDetector;
import io.semroute.classifier.pii.PiiEntity;
import io.semroute.classifier.text.TokenizedText;
import io.semroute.extproc.metrics.RouterMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The PII detector behind a micro-batcher. The detector works text by text (long texts are split
 * into windows inside it), so the batcher's job here is the bounded queue, the deadlines and
 * keeping the work off the gRPC threads, not fusing encoder passes.
 *
 * <p>Long texts: the token model costs an encoder pass per 512-token window, so a pasted megabyte
 * would keep the worker busy for minutes (past every deadline, starving later requests). Texts over
 * {@value #MODEL_CHARS} characters therefore get the token model on their first and last {@value
 * #EDGE_CHARS} characters only, and the recognizers (regular expressions with checksums, cheap) on
 * the whole text: structured types are found anywhere, names and addresses near the ends. Only
 * types are reported, so the pieces' offsets need no stitching.
 */
public final class LoadedPiiDetector implements LoadedClassifier {
  static final int MODEL_CHARS = 8 * 1024;
  static final int EDGE_CHARS = 4 * 1024;

  private final PiiDetector detector;
  private final PiiDetector recognizers = PiiDetector.patternsOnly();
  private final MicroBatcher<String, List<PiiEntity>> batcher;

  /** The token model's lane on the shared encoder pass; null without a model. */
  private final HeadLane<TokenClassification> lane;

  LoadedPiiDetector(String name, PiiDetector detector, BatchPolicy policy, EncoderPasses passes) {
    this.detector = detector;
    this.batcher = MicroBatcher.start(name, policy, String::length, this::detectAll);
    this.lane =
        detector.model() == null
            ? null
            : passes.lane(name, SharedHead.tokens(name, detector.model()));
  }

  /** A detector with micro-batchers of its own. */
  public LoadedPiiDetector(String name, PiiDetector detector, BatchPolicy policy) {
    this(name, detector, policy, new EncoderPasses(policy));
  }

  /**
   * Texts up to {@value #MODEL_CHARS} characters go through the shared encoder pass, so the PII
   * model costs no encoder pass of its own: whole when they fit its window, else its window's head
   * and tail (the same truncated pass the domain and signal heads read). The recognizers always
   * read the whole text, so structured types (cards, IBANs, SSNs, phones, e-mails, IPs) are found
   * anywhere; a name or address in the middle of a turn longer than the window (~256 tokens) is
   * not. Before the pass was shared the model slid windows over such turns, three encoder passes
   * for a 500-token prompt: the price of finding those middles was most of the request's cost
   * (docs/performance.md). Longer texts keep the edge windows on this detector's own batcher.
   */
  private CompletableFuture<List<PiiEntity>> submit(String text) {
    if (lane != null && text.length() <= MODEL_CHARS) {
      try {
        TokenizedText t = detector.model().encoder().tokenize(text);
        return lane.submit(t).thenApply(labels -> detector.detect(text, labels));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return batcher.submit(text);
  }

  private List<List<PiiEntity>> detectAll(List<String> texts) {
    List<List<PiiEntity>> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(detect(t));
    }
    return out;
  }

  private List<PiiEntity> detect(String text) {
    if (text.length() <= MODEL_CHARS) {
      return detector.detect(text);
    }
    List<PiiEntity> found = new ArrayList<>(recognizers.detect(text));
    for (PiiEntity e : detector.detect(text.substring(0, EDGE_CHARS))) {
      if (e.origin() == PiiEntity.Origin.MODEL) {
        found.add(e);
      }
    }
    int tail = text.length() - EDGE_CHARS;
    for (PiiEntity e : detector.detect(text.substring(tail))) {
      if (e.origin() == PiiEntity.Origin.MODEL) {
        // Offsets into the whole text, so a redaction can find the span again.
        found.add(
            new PiiEntity(
                e.type(), e.start() + tail, e.end() + tail, e.text(), e.score(), e.origin()));
      }
    }
    return found;
  }

  /**
   * Queues one text; the future holds every entity found, with offsets into {@code text}. The
   * values must not leave the guard package (no logging).
   */
  public CompletableFuture<List<DetectedEntity>> entities(String text) {
    return submit(text)
        .thenApply(
            found ->
                found.stream()
                    .map(
                        e ->
                            new DetectedEntity(
                                e.type(),
                                e.start(),
                                e.end(),
                                e.score(),
                                e.origin() == PiiEntity.Origin.MODEL))
                    .toList());
  }

  /** Queues one text; the future holds the type of every entity found (never the values). */
  public CompletableFuture<List<String>> entityTypes(String text) {
    return submit(text).thenApply(found -> found.stream().map(PiiEntity::type).toList());
  }

  @Override
  public void observe(RouterMetrics metrics, String role) {
    batcher.observe(LoadedClassifier.observer(metrics, role));
    if (lane != null) {
      lane.observe(LoadedClassifier.observer(metrics, role));
    }
  }

  @Override
  public void close() {
    batcher.close();
    if (lane != null) {
      lane.close(() -> {});
    }
    // The own batcher's worker may still be inside a long text's windows (close gives up at the
    // deadline): free the model only once it has ended.
    batcher.whenStopped(detector::close);
  }
}
