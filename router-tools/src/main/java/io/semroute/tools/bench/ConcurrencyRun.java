package io.semroute.tools.bench;

import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.classifier.batch.BatcherStats;
import io.semroute.classifier.batch.MicroBatcher;
import io.semroute.classifier.text.TokenizedText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop load: N caller threads each send one request through a {@link MicroBatcher}, wait for
 * its answer, and send the next, for a fixed time. What a router under N in-flight requests sees:
 * requests per second, each request's latency (queueing included) and the batch sizes that formed.
 */
final class ConcurrencyRun {

  record Result(
      int callers,
      double requestsPerSecond,
      LatencyStats latency,
      double meanBatch,
      int largestBatch) {}

  private ConcurrencyRun() {}

  /** Runs {@code callers} closed-loop callers for {@code warmup} then {@code measure}. */
  static Result run(
      BatchForward model,
      TokenizedText text,
      int callers,
      BatchPolicy policy,
      Duration warmup,
      Duration measure)
      throws Exception {
    try (MicroBatcher<TokenizedText, Object> batcher =
        MicroBatcher.start(
            "bench",
            policy,
            TokenizedText::length,
            texts -> new ArrayList<Object>(model.forward(texts)))) {
      long start = System.nanoTime();
      long measureFrom = start + warmup.toNanos();
      long stopAt = measureFrom + measure.toNanos();
      long[][] perCaller = new long[callers][];
      int[] counts = new int[callers];
      AtomicReference<Throwable> failure = new AtomicReference<>();
      CountDownLatch done = new CountDownLatch(callers);
      BatcherStats[] atMeasureStart = new BatcherStats[1];
      for (int c = 0; c < callers; c++) {
        long[] samples = new long[200_000];
        perCaller[c] = samples;
        int caller = c;
        Thread t =
            new Thread(
                () -> {
                  try {
                    int n = 0;
                    while (true) {
                      long t0 = System.nanoTime();
                      if (t0 >= stopAt) {
                        break;
                      }
                      batcher.submit(text, Duration.ofMinutes(5)).join();
                      long t1 = System.nanoTime();
                      // Requests finishing inside the window count (their latency may include time
                      // queued before it): throughput is then completions per second of window.
                      if (t1 >= measureFrom && t1 <= stopAt && n < samples.length) {
                        samples[n++] = t1 - t0;
                      }
                    }
                    counts[caller] = n;
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  } finally {
                    done.countDown();
                  }
                },
                "bench-caller-" + c);
        t.setDaemon(true);
        t.start();
      }
      Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
      atMeasureStart[0] = batcher.stats();
      Thread.sleep(Math.max(0, (stopAt - System.nanoTime()) / 1_000_000));
      BatcherStats atMeasureEnd = batcher.stats();
      done.await();
      if (failure.get() != null) {
        throw new IllegalStateException("a bench caller failed", failure.get());
      }
      LatencyStats latency = LatencyStats.ofCallers(perCaller, counts);
      double seconds = measure.toNanos() / 1e9;
      long calls = atMeasureEnd.calls() - atMeasureStart[0].calls();
      long items = atMeasureEnd.computedItems() - atMeasureStart[0].computedItems();
      return new Result(
          callers,
          latency.samples() / seconds,
          latency,
          calls == 0 ? 0 : (double) items / calls,
          atMeasureEnd.largestCall());
    }
  }
}
