package io.semroute.classifier.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real threads against a deterministic batch function (the result is derived from the input, so a
 * caller receiving someone else's result is detected). Orderings are forced with latches, never
 * with sleeps: a test holds the worker inside a call, queues requests behind it, then releases.
 */
class MicroBatcherTest {

  /** Records every call and can hold the worker inside its first call. */
  static final class RecordingFunction implements BatchFunction<String, String> {
    final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release;
    final long workNanos;

    RecordingFunction(boolean holdFirstCall, long workNanos) {
      this.release = new CountDownLatch(holdFirstCall ? 1 : 0);
      this.workNanos = workNanos;
    }

    @Override
    public List<String> apply(List<String> inputs) throws InterruptedException {
      calls.add(List.copyOf(inputs));
      entered.countDown();
      release.await();
      if (workNanos > 0) {
        LockSupport.parkNanos(workNanos);
      }
      List<String> out = new ArrayList<>();
      for (String input : inputs) {
        out.add("out:" + input);
      }
      return out;
    }

    List<Integer> callSizes() {
      synchronized (calls) {
        return calls.stream().map(List::size).toList();
      }
    }
  }

  private static final BatchPolicy POLICY =
      BatchPolicy.defaults().withMaxWait(Duration.ZERO).withDefaultDeadline(Duration.ofSeconds(60));

  private final List<MicroBatcher<?, ?>> started = new ArrayList<>();

  private MicroBatcher<String, String> start(BatchPolicy policy, BatchFunction<String, String> fn) {
    MicroBatcher<String, String> batcher = MicroBatcher.start("test", policy, String::length, fn);
    started.add(batcher);
    return batcher;
  }

  @AfterEach
  void closeAll() {
    started.forEach(b -> b.close(Duration.ofSeconds(5)));
  }

  @Test
  void manyConcurrentCallersEachGetTheirOwnResult() throws Exception {
    RecordingFunction fn = new RecordingFunction(false, 200_000);
    MicroBatcher<String, String> batcher = start(POLICY.withMaxWait(Duration.ofMillis(1)), fn);
    int threads = 64;
    int perThread = 40;
    ExecutorService callers = Executors.newFixedThreadPool(threads);
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(
          callers.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  String input = "t" + thread + "-r" + i + "-" + "x".repeat((thread * 7 + i) % 50);
                  String result = batcher.submit(input).join();
                  if (!result.equals("out:" + input)) {
                    wrong.add(input + " -> " + result);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    callers.shutdown();

    int total = threads * perThread;
    assertThat(wrong).isEmpty();
    BatcherStats stats = batcher.stats();
    assertThat(stats.completed()).isEqualTo(total);
    assertThat(stats.computedItems()).isEqualTo(total);
    // Every request was computed exactly once.
    Set<String> seen = new HashSet<>();
    synchronized (fn.calls) {
      fn.calls.forEach(call -> call.forEach(input -> assertThat(seen.add(input)).isTrue()));
    }
    assertThat(seen).hasSize(total);
    // With 64 callers and a worker that is busy for a while per call, batches really form.
    assertThat(stats.calls()).isLessThan(total);
    assertThat(stats.largestCall()).isGreaterThan(1);
  }

  @Test
  void requestsQueuedBehindABusyWorkerRunAsOneBatch() throws Exception {
    RecordingFunction fn = new RecordingFunction(true, 0);
    MicroBatcher<String, String> batcher = start(POLICY, fn);
    CompletableFuture<String> first = batcher.submit("first");
    fn.entered.await();
    List<CompletableFuture<String>> queued = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      queued.add(batcher.submit("q" + i));
    }
    fn.release.countDown();

    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("out:first");
    for (int i = 0; i < 10; i++) {
      assertThat(queued.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("out:q" + i);
    }
    assertThat(fn.callSizes()).containsExactly(1, 10);
  }

  @Test
  void batchesNeverExceedTheMaximumSize() throws Exception {
    RecordingFunction fn = new RecordingFunction(true, 0);
    MicroBatcher<String, String> batcher = start(POLICY.withMaxBatchSize(4), fn);
    batcher.submit("first");
    fn.entered.await();
    List<CompletableFuture<String>> queued = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      queued.add(batcher.submit("q" + i));
    }
    fn.release.countDown();
    CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    assertThat(fn.callSizes()).containsExactly(1, 4, 4, 2);
  }

  @Test
  void shortAndLongPromptsRunInSeparateCallsShortestFirst() throws Exception {
    RecordingFunction fn = new RecordingFunction(true, 0);
    MicroBatcher<String, String> batcher = start(POLICY.withPadding(1.5, 32), fn);
    batcher.submit("first");
    fn.entered.await();
    String longA = "L".repeat(500);
    String shortA = "s".repeat(25);
    String longB = "M".repeat(480);
    String shortB = "t".repeat(30);
    List<CompletableFuture<String>> queued =
        List.of(
            batcher.submit(longA),
            batcher.submit(shortA),
            batcher.submit(longB),
            batcher.submit(shortB));
    fn.release.countDown();
    CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    assertThat(fn.calls)
        .containsExactly(List.of("first"), List.of(shortA, shortB), List.of(longB, longA));
    assertThat(queued.get(0).get()).isEqualTo("out:" + longA);
    assertThat(queued.get(1).get()).isEqualTo("out:" + shortA);
  }

  @Test
  void aLoneRequestDoesNotWaitForTheGatheringWindow() throws Exception {
    RecordingFunction fn = new RecordingFunction(false, 0);
    // A window far longer than the get() below: finishing proves the idle path skipped it.
    MicroBatcher<String, String> batcher = start(POLICY.withMaxWait(Duration.ofMinutes(10)), fn);

    assertThat(batcher.submit("alone").get(60, TimeUnit.SECONDS)).isEqualTo("out:alone");
    assertThat(batcher.submit("again").get(60, TimeUnit.SECONDS)).isEqualTo("out:again");
    assertThat(fn.callSizes()).containsExactly(1, 1);
  }

  @Test
  void underLoadTheBatchIsHeldOpenUntilItFills() throws Exception {
    RecordingFunction fn = new RecordingFunction(true, 0);
    // The window is far longer than the test: the batch can only run because it filled up.
    MicroBatcher<String, String> batcher =
        start(POLICY.withMaxBatchSize(4).withMaxWait(Duration.ofMinutes(10)), fn);
    batcher.submit("first");
    fn.entered.await();
    CompletableFuture<String> a = batcher.submit("a");
    CompletableFuture<String> b = batcher.submit("b");
    fn.release.countDown();
    // The worker now holds {a, b} open; two late arrivals complete it.
    CompletableFuture<String> c = batcher.submit("c");
    CompletableFuture<String> d = batcher.submit("d");

    assertThat(
            List.of(
                a.get(60, TimeUnit.SECONDS),
                b.get(60, TimeUnit.SECONDS),
                c.get(60, TimeUnit.SECONDS),
                d.get(60, TimeUnit.SECONDS)))
        .containsExactly("out:a", "out:b", "out:c", "out:d");
    assertThat(fn.callSizes()).containsExactly(1, 4);
  }

  @Test
  void anExpiredRequestFailsWithATimeoutAndIsNeverComputed() throws Exception {
    RecordingFunction fn = new RecordingFunction(true, 0);
    MicroBatcher<String, String> batcher = start(POLICY, fn);
    CompletableFuture<String> first = batcher.submit("first");
    fn.entered.await();
    CompletableFuture<String> late = batcher.submit("late", Duration.ofMillis(50));
    CompletableFuture<String> patient = batcher.submit("patient");

    assertThatThrownBy(() -> late.get(60, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("deadline of 50 ms exceeded");
    fn.release.countDown();
    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("out:first");
    assertThat(patient.get(30, TimeUnit.SECONDS)).isEqualTo("out:patient");
    assertThat(fn.calls).containsExactly(List.of("first"), List.of("patient"));
    assertThat(batcher.stats().expired()).isEqualTo(1);
  }

  @Test
  void aFullQueueRejectsAtOnceAndKeepsServingTheRest() throws Exception {
    RecordingFunction fn = new RecordingFunction(true, 0);
    MicroBatcher<String, String> batcher = start(POLICY.withQueueCapacity(2), fn);
    batcher.submit("first");
    fn.entered.await();
    CompletableFuture<String> a = batcher.submit("a");
    CompletableFuture<String> b = batcher.submit("b");
    CompletableFuture<String> overflow = batcher.submit("c");

    assertThat(overflow).isCompletedExceptionally();
    assertThatThrownBy(overflow::join)
        .hasCauseInstanceOf(QueueFullException.class)
        .hasMessageContaining("overloaded");
    fn.release.countDown();
    assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("out:a");
    assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo("out:b");
    assertThat(batcher.stats().rejected()).isEqualTo(1);
  }

  @Test
  void aCancelledRequestIsNotComputed() throws Exception {
    RecordingFunction fn = new RecordingFunction(true, 0);
    MicroBatcher<String, String> batcher = start(POLICY, fn);
    batcher.submit("first");
    fn.entered.await();
    CompletableFuture<String> gone = batcher.submit("gone");
    CompletableFuture<String> kept = batcher.submit("kept");
    gone.cancel(false);
    fn.release.countDown();

    assertThat(kept.get(30, TimeUnit.SECONDS)).isEqualTo("out:kept");
    assertThat(fn.calls).containsExactly(List.of("first"), List.of("kept"));
  }

  @Test
  void aFailingCallFailsOnlyItsOwnRequests() throws Exception {
    BatchFunction<String, String> fn =
        inputs -> {
          if (inputs.contains("boom")) {
            throw new IllegalArgumentException("cannot classify boom");
          }
          return inputs.stream().map(s -> "out:" + s).toList();
        };
    MicroBatcher<String, String> batcher = start(POLICY, fn);

    assertThatThrownBy(() -> batcher.submit("boom").get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot classify boom");
    assertThat(batcher.submit("fine").get(30, TimeUnit.SECONDS)).isEqualTo("out:fine");
    assertThat(batcher.stats().failed()).isEqualTo(1);
  }

  @Test
  void aFunctionReturningTheWrongNumberOfOutputsIsAClearError() {
    MicroBatcher<String, String> batcher = start(POLICY, inputs -> List.of());

    assertThatThrownBy(() -> batcher.submit("x").get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned 0 outputs for 1 inputs");
  }

  @Test
  void closeFinishesQueuedWorkThenRejectsNewRequests() throws Exception {
    RecordingFunction fn = new RecordingFunction(true, 0);
    MicroBatcher<String, String> batcher = start(POLICY, fn);
    CompletableFuture<String> first = batcher.submit("first");
    fn.entered.await();
    CompletableFuture<String> queued = batcher.submit("queued");
    CompletableFuture<Boolean> closing =
        CompletableFuture.supplyAsync(() -> batcher.close(Duration.ofSeconds(60)));
    while (!batcher.isClosed()) {
      Thread.onSpinWait();
    }
    // Closing must not take new work, even while the old work is still running.
    assertThatThrownBy(() -> batcher.submit("probe").join())
        .hasCauseInstanceOf(BatcherClosedException.class);
    fn.release.countDown();

    assertThat(closing.get(60, TimeUnit.SECONDS)).isTrue();
    assertThat(first.get()).isEqualTo("out:first");
    assertThat(queued.get()).isEqualTo("out:queued");
    assertThatThrownBy(() -> batcher.submit("after").join())
        .hasCauseInstanceOf(BatcherClosedException.class);
  }

  @Test
  void closeWithAStuckWorkerFailsWhatIsLeftInsteadOfHanging() throws Exception {
    RecordingFunction fn = new RecordingFunction(true, 0);
    MicroBatcher<String, String> batcher = start(POLICY, fn);
    batcher.submit("stuck");
    fn.entered.await();
    CompletableFuture<String> queued = batcher.submit("queued");

    assertThat(batcher.close(Duration.ofMillis(100))).isFalse();
    assertThatThrownBy(queued::join).hasCauseInstanceOf(BatcherClosedException.class);
  }
}
