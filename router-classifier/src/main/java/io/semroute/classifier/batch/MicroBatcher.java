package io.semroute.classifier.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers concurrent single requests into calls of a {@link BatchFunction}.
 *
 * <p>Callers {@link #submit} one input each and get a future. Worker thread(s) take the oldest
 * request and everything already waiting behind it (up to {@code maxBatchSize}); if other requests
 * were waiting (the box is under load), they keep gathering until the oldest request has waited
 * {@code maxWait}. A request that arrives to an idle batcher runs at once, so a lone caller pays no
 * batching delay. The gathered batch is split into {@link LengthBuckets} so short prompts are not
 * padded to long ones.
 *
 * <p>Backpressure: the queue is bounded; a full queue fails the new request with {@link
 * QueueFullException} at once rather than growing memory and latency without bound. Deadlines:
 * every request has one (queueing included); when it passes, the future fails with {@link
 * DeadlineExceededException} and a request still queued is dropped, never computed.
 *
 * <p>Futures are completed on a worker thread: callers should block on them or continue with the
 * {@code *Async} stages, not run heavy work in a synchronous continuation.
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MicroBatcher.class);

  /** How often an idle worker looks at the closed flag; only bounds how long close() takes. */
  private static final long IDLE_POLL_MILLIS = 20;

  private final String name;
  private final BatchPolicy policy;
  private final ToIntFunction<? super I> length;
  private final BatchFunction<I, O> function;
  private final BlockingQueue<Pending<I, O>> queue;
  private final ScheduledThreadPoolExecutor deadlineTimer;
  private final List<Thread> workers = new ArrayList<>();

  /** Submitters share it; close() takes it exclusively so no request slips in after shutdown. */
  private final ReadWriteLock intake = new ReentrantReadWriteLock();

  private volatile boolean closed;
  private volatile BatchObserver observer = BatchObserver.NONE;

  private final LongAdder submitted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder expired = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder calls = new LongAdder();
  private final LongAdder computedItems = new LongAdder();
  private final AtomicInteger largestCall = new AtomicInteger();

  private MicroBatcher(
      String name, BatchPolicy policy, ToIntFunction<? super I> length, BatchFunction<I, O> fn) {
    this.name = Objects.requireNonNull(name, "name");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.length = Objects.requireNonNull(length, "length");
    this.function = Objects.requireNonNull(fn, "function");
    this.queue = new ArrayBlockingQueue<>(policy.queueCapacity());
    this.deadlineTimer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, name + "-deadlines"));
    // Deadlines are usually cancelled (the request finished first): drop them from the heap.
    deadlineTimer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Starts a batcher and its worker thread(s).
   *
   * @param length the cost measure used for length bucketing, normally the token count
   */
  public static <I, O> MicroBatcher<I, O> start(
      String name, BatchPolicy policy, ToIntFunction<? super I> length, BatchFunction<I, O> fn) {
    MicroBatcher<I, O> batcher = new MicroBatcher<>(name, policy, length, fn);
    for (int i = 0; i < policy.workers(); i++) {
      Thread worker = daemon(batcher::runWorker, name + "-batch-" + i);
      batcher.workers.add(worker);
      worker.start();
    }
    return batcher;
  }

  public String name() {
    return name;
  }

  public BatchPolicy policy() {
    return policy;
  }

  /** Reports batch sizes, queue waits and rejections to {@code observer} from now on. */
  public void observe(BatchObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /** Submits one input with the policy's default deadline. */
  public CompletableFuture<O> submit(I input) {
    return submit(input, policy.defaultDeadline());
  }

  /**
   * Submits one input. Never blocks: a full queue or a closed batcher yields an already failed
   * future ({@link QueueFullException}, {@link BatcherClosedException}).
   *
   * @param deadline time allowed from now until the result, queueing included
   */
  public CompletableFuture<O> submit(I input, Duration deadline) {
    Objects.requireNonNull(input, "input");
    if (deadline == null || deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be > 0, got " + deadline);
    }
    Pending<I, O> request = new Pending<>(input, length.applyAsInt(input), System.nanoTime());
    intake.readLock().lock();
    try {
      if (closed) {
        rejected.increment();
        return CompletableFuture.failedFuture(
            new BatcherClosedException(name, "no new requests accepted"));
      }
      if (!queue.offer(request)) {
        rejected.increment();
        notifyObserver(o -> o.onRejected());
        return CompletableFuture.failedFuture(new QueueFullException(name, policy.queueCapacity()));
      }
      submitted.increment();
      ScheduledFuture<?> timer =
          deadlineTimer.schedule(
              () -> expire(request, deadline), deadline.toNanos(), TimeUnit.NANOSECONDS);
      request.future.whenComplete((result, error) -> timer.cancel(false));
    } finally {
      intake.readLock().unlock();
    }
    return request.future;
  }

  /** True once {@link #close} has begun: no new requests are accepted. */
  public boolean isClosed() {
    return closed;
  }

  /** Requests waiting for a worker. */
  public int queueDepth() {
    return queue.size();
  }

  public BatcherStats stats() {
    return new BatcherStats(
        submitted.sum(),
        rejected.sum(),
        expired.sum(),
        completed.sum(),
        failed.sum(),
        calls.sum(),
        computedItems.sum(),
        largestCall.get());
  }

  /**
   * Stops taking requests and lets the workers finish what is queued, waiting at most the default
   * deadline (no queued request may outlive its own deadline anyway).
   */
  @Override
  public void close() {
    close(policy.defaultDeadline());
  }

  /**
   * Stops taking requests, waits up to {@code timeout} for queued work to finish, then fails
   * whatever is left with {@link BatcherClosedException}.
   *
   * @return true if all queued work finished in time
   */
  public boolean close(Duration timeout) {
    intake.writeLock().lock();
    try {
      closed = true;
    } finally {
      intake.writeLock().unlock();
    }
    long until = System.nanoTime() + timeout.toNanos();
    List<Thread> stuck = new ArrayList<>();
    for (Thread worker : workers) {
      try {
        long leftMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()));
        worker.join(leftMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (worker.isAlive()) {
        stuck.add(worker);
      }
    }
    boolean drained = stuck.isEmpty();
    // Empty the queue BEFORE interrupting stuck workers: an interrupted worker goes back to the
    // queue, and if a request were still there it would start it (and could block forever in a
    // batch function that ignores interrupts), so close() itself would hang.
    List<Pending<I, O>> left = new ArrayList<>();
    queue.drainTo(left);
    for (Pending<I, O> request : left) {
      request.future.completeExceptionally(
          new BatcherClosedException(name, "shut down before the request ran"));
    }
    for (Thread worker : stuck) {
      worker.interrupt();
    }
    deadlineTimer.shutdownNow();
    if (!drained || !left.isEmpty()) {
      log.warn("batcher '{}' closed with {} queued requests unfinished", name, left.size());
    }
    return drained && left.isEmpty();
  }

  private void expire(Pending<I, O> request, Duration deadline) {
    // Counted before completing so a caller woken by the future already sees it in stats().
    expired.increment();
    if (request.future.completeExceptionally(new DeadlineExceededException(name, deadline))) {
      // Free its queue slot now rather than when a worker reaches it.
      queue.remove(request);
    } else {
      expired.decrement();
    }
  }

  private void runWorker() {
    int max = policy.maxBatchSize();
    long maxWaitNanos = policy.maxWait().toNanos();
    List<Pending<I, O>> gathered = new ArrayList<>(max);
    while (true) {
      Pending<I, O> first;
      try {
        first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
        continue;
      }
      if (first == null) {
        if (closed && queue.isEmpty()) {
          return;
        }
        continue;
      }
      gathered.clear();
      gathered.add(first);
      queue.drainTo(gathered, max - 1);
      // Others already waiting means load: worth holding the batch open briefly for more.
      // Alone means idle: run now. The window counts from the oldest request's arrival, so
      // time already spent queued behind a busy worker is not waited twice.
      if (gathered.size() > 1 && maxWaitNanos > 0) {
        long until = first.enqueuedNanos + maxWaitNanos;
        while (gathered.size() < max) {
          long left = until - System.nanoTime();
          if (left <= 0) {
            break;
          }
          Pending<I, O> next;
          try {
            next = queue.poll(left, TimeUnit.NANOSECONDS);
          } catch (InterruptedException e) {
            break;
          }
          if (next == null) {
            break;
          }
          gathered.add(next);
          queue.drainTo(gathered, max - gathered.size());
        }
      }
      compute(gathered);
    }
  }

  private void notifyObserver(Consumer<BatchObserver> call) {
    try {
      call.accept(observer);
    } catch (RuntimeException e) {
      log.warn("batch observer of '{}' failed", name, e);
    }
  }

  private void compute(List<Pending<I, O>> gathered) {
    gathered.removeIf(request -> request.future.isDone()); // expired or cancelled while queued
    List<List<Pending<I, O>>> buckets =
        LengthBuckets.split(
            gathered,
            request -> request.length,
            policy.maxPaddingRatio(),
            policy.paddingSlackTokens());
    for (List<Pending<I, O>> bucket : buckets) {
      bucket.removeIf(request -> request.future.isDone()); // expired while an earlier bucket ran
      if (bucket.isEmpty()) {
        continue;
      }
      List<I> inputs = new ArrayList<>(bucket.size());
      for (Pending<I, O> request : bucket) {
        inputs.add(request.input);
      }
      calls.increment();
      computedItems.add(bucket.size());
      largestCall.accumulateAndGet(bucket.size(), Math::max);
      List<O> outputs;
      long startNanos = System.nanoTime();
      long[] waits = new long[bucket.size()];
      for (int i = 0; i < waits.length; i++) {
        waits[i] = startNanos - bucket.get(i).enqueuedNanos;
      }
      try {
        outputs = function.apply(inputs);
      } catch (Throwable t) {
        long computeNanos = System.nanoTime() - startNanos;
        notifyObserver(o -> o.onBatch(waits, computeNanos));
        failAll(bucket, t);
        continue;
      }
      long computeNanos = System.nanoTime() - startNanos;
      notifyObserver(o -> o.onBatch(waits, computeNanos));
      if (outputs == null || outputs.size() != inputs.size()) {
        failAll(
            bucket,
            new IllegalStateException(
                "batch function of '"
                    + name
                    + "' returned "
                    + (outputs == null ? "null" : outputs.size() + " outputs")
                    + " for "
                    + inputs.size()
                    + " inputs"));
        continue;
      }
      for (int i = 0; i < bucket.size(); i++) {
        completed.increment();
        if (!bucket.get(i).future.complete(outputs.get(i))) {
          completed.decrement(); // expired or cancelled meanwhile
        }
      }
    }
  }

  private void failAll(List<Pending<I, O>> bucket, Throwable error) {
    log.debug("batch of {} failed in '{}'", bucket.size(), name, error);
    for (Pending<I, O> request : bucket) {
      failed.increment();
      if (!request.future.completeExceptionally(error)) {
        failed.decrement();
      }
    }
  }

  /**
   * Runs {@code release} once every worker thread has ended: at once if they have, else on a thread
   * of its own. {@link #close} may give up on a worker still inside a batch (its deadline passed);
   * whatever native memory that batch reads (the classifier's weights) must be freed here, never
   * right after {@code close} returns, or the worker reads freed memory.
   */
  public void whenStopped(Runnable release) {
    List<Thread> alive = workers.stream().filter(Thread::isAlive).toList();
    if (alive.isEmpty()) {
      release.run();
      return;
    }
    log.warn(
        "batcher '{}': a worker is still inside a batch; its classifier is freed when it ends",
        name);
    daemon(
            () -> {
              for (Thread w : alive) {
                try {
                  w.join();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
              release.run();
            },
            name + "-release")
        .start();
  }

  private static Thread daemon(Runnable body, String threadName) {
    Thread thread = new Thread(body, threadName);
    thread.setDaemon(true);
    return thread;
  }

  /** One caller's request while it waits for a worker. */
  private static final class Pending<I, O> {
    final I input;
    final int length;
    final long enqueuedNanos;
    final CompletableFuture<O> future = new CompletableFuture<>();

    Pending(I input, int length, long enqueuedNanos) {
      this.input = input;
      this.length = length;
      this.enqueuedNanos = enqueuedNanos;
    }
  }
}
