package io.semroute.extproc.models;

import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.classifier.batch.MicroBatcher;
import io.semroute.classifier.pii.PiiDetector;
import io.semroute.classifier.pii.PiiEntity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The PII detector behind a micro-batcher. The detector works text by text (long texts are split
 * into windows inside it), so the batcher's job here is the bounded queue, the deadlines and
 * keeping the work off the gRPC threads, not fusing encoder passes.
 */
public final class PiiModel implements RunningModel {
  private final PiiDetector detector;
  private final MicroBatcher<String, List<PiiEntity>> batcher;

  public PiiModel(String name, PiiDetector detector, BatchPolicy policy) {
    this.detector = detector;
    this.batcher = MicroBatcher.start(name, policy, String::length, this::detectAll);
  }

  private List<List<PiiEntity>> detectAll(List<String> texts) {
    List<List<PiiEntity>> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(detector.detect(t));
    }
    return out;
  }

  public CompletableFuture<List<PiiEntity>> submit(String text) {
    return batcher.submit(text);
  }

  @Override
  public void close() {
    batcher.close();
    detector.close();
  }
}
