package io.semroute.extproc.classifiers;

import io.semroute.classifier.batch.BatchObserver;
import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.classifier.batch.SharedEncoderPass;
import io.semroute.classifier.batch.SharedHead;
import io.semroute.classifier.encoder.bert.BertEncoder;
import io.semroute.classifier.text.TokenizedText;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The shared encoder passes of one {@link ClassifierOpener}: one {@link SharedEncoderPass} per base
 * encoder its classifiers are built on (in practice the built-in MiniLM, whose weights the registry
 * loads once per process), started when its first head joins and stopped when its last head leaves.
 * Per opener, not per process, so two routers in one JVM (tests) keep their own batching settings
 * and queues.
 */
final class EncoderPasses {
  private final BatchPolicy policy;
  private final Map<BertEncoder, SharedEncoderPass> passes = new IdentityHashMap<>();

  EncoderPasses(BatchPolicy policy) {
    this.policy = policy;
  }

  /** The shared pass's lane for a head on a BERT-family encoder, else a lane of its own. */
  synchronized <R> HeadLane<R> lane(String name, SharedHead<R> head) {
    if (!(head.encoder().encoder() instanceof BertEncoder bert)) {
      return HeadLane.own(name, policy, head);
    }
    BertEncoder base = bert.base();
    SharedEncoderPass pass =
        passes.computeIfAbsent(
            base,
            b ->
                SharedEncoderPass.start(
                    "encoder-" + Integer.toHexString(System.identityHashCode(b)), b, policy));
    SharedEncoderPass.Member<R> member = pass.join(head);
    return new HeadLane<>() {
      @Override
      public CompletableFuture<R> submit(String text) {
        return member.submit(text);
      }

      @Override
      public CompletableFuture<R> submit(TokenizedText text) {
        return member.submit(text);
      }

      @Override
      public void observe(BatchObserver observer) {
        member.observe(observer);
      }

      @Override
      public void close(Runnable release) {
        leave(base, member);
        release.run();
      }
    };
  }

  private synchronized void leave(BertEncoder base, SharedEncoderPass.Member<?> member) {
    member.close();
    SharedEncoderPass pass = passes.get(base);
    if (pass != null && pass.memberCount() == 0) {
      passes.remove(base);
      pass.close();
    }
  }

  /** Encoder passes run and answers reused from an earlier pass, summed over the open passes. */
  synchronized long[] counts() {
    long[] sum = new long[2];
    for (SharedEncoderPass p : passes.values()) {
      long[] c = p.counts();
      sum[0] += c[0];
      sum[1] += c[1];
    }
    return sum;
  }

  /** Open shared passes (one per base encoder in use). */
  synchronized int openPasses() {
    return passes.size();
  }
}
