package io.semroute.classifier.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.encoder.bert.BertEncoder;
import io.semroute.classifier.text.TokenizedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Every head over one BERT base encoder (the built-in MiniLM: domain, jailbreak, PII, task type,
 * outcomes, cache embeddings) read off one encoder pass per text, however many heads ask for it and
 * whenever they ask during a request.
 *
 * <p>A request asks for the same text at several stages (screening, then deciding, then the cache),
 * so batching per call is not enough: the pass remembers, per text and token ids, the outputs of
 * every head that could read that pass ({@link #MEMO_ENTRIES} recent texts; outputs only, no hidden
 * states). The first head to ask pays the encoder; the others get its result.
 *
 * <p>Which heads a pass serves is exact, never approximate: a head reads a pass only when its own
 * tokenizer would have produced the same ids. An untruncated text (it fits every head's window)
 * serves every head whose window holds it; a text truncated by the asking head's window serves
 * heads with that same truncation policy. Everything else gets its own pass through the same
 * batcher. So each head's output equals what it computes alone.
 *
 * <p>Heads with their own fine-tuned top layers ({@link BertEncoder#withOwnLayers}) share the
 * bottom: the pass runs the base up to the first layer any variant owns, then the base's and each
 * variant's remaining layers on that output.
 */
public final class SharedEncoderPass implements AutoCloseable {
  /** Texts whose head outputs are remembered (a request's stages ask within milliseconds). */
  static final int MEMO_ENTRIES = 1024;

  private final BertEncoder base;
  private final MicroBatcher<Job, Map<Member<?>, Object>> batcher;
  private final Set<Member<?>> members = ConcurrentHashMap.newKeySet();
  private final List<BatchObserver> observers = new CopyOnWriteArrayList<>();
  private final Map<PassKey, CompletableFuture<Map<Member<?>, Object>>> memo =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<PassKey, CompletableFuture<Map<Member<?>, Object>>> e) {
          return size() > MEMO_ENTRIES;
        }
      };
  private long passes;
  private long reused;

  /**
   * Batches hold the read side while they run (several workers may run batches at once); a head
   * leaving takes the write side, so it leaves only when no batch is using it and its weights are
   * then free to go.
   */
  private final ReentrantReadWriteLock running = new ReentrantReadWriteLock();

  private SharedEncoderPass(String name, BertEncoder base, BatchPolicy policy) {
    this.base = base;
    this.batcher = MicroBatcher.start(name, policy, j -> j.text().length(), this::run);
    this.batcher.observe(
        new BatchObserver() {
          @Override
          public void onBatch(long[] queueWaitNanos, long computeNanos) {
            observers.forEach(o -> o.onBatch(queueWaitNanos, computeNanos));
          }

          @Override
          public void onRejected() {
            observers.forEach(BatchObserver::onRejected);
          }
        });
  }

  /** A pass over {@code base} (a base encoder, not a variant) with its own batcher. */
  public static SharedEncoderPass start(String name, BertEncoder base, BatchPolicy policy) {
    if (base.base() != base) {
      throw new IllegalArgumentException("a shared pass runs over a base encoder, not a variant");
    }
    return new SharedEncoderPass(name, base, policy);
  }

  /** True when {@code encoder} is this pass's base or a variant of it. */
  public boolean serves(TextEncoder encoder) {
    return encoder.encoder() instanceof BertEncoder b && b.base() == base;
  }

  /** Adds a head; its results come from shared passes until {@link Member#close}. */
  public <R> Member<R> join(SharedHead<R> head) {
    if (!serves(head.encoder())) {
      throw new IllegalArgumentException(
          "head '" + head.name() + "' reads another encoder than this pass");
    }
    Member<R> m = new Member<>(head);
    members.add(m);
    return m;
  }

  /** Heads still joined. */
  public int memberCount() {
    return members.size();
  }

  public MicroBatcher<?, ?> batcher() {
    return batcher;
  }

  /** Encoder passes run for texts, and answers served from an earlier pass of the same text. */
  public synchronized long[] counts() {
    return new long[] {passes, reused};
  }

  /** Stops the batcher (queued work finishes within its deadlines); the encoder stays open. */
  @Override
  public void close() {
    batcher.close();
  }

  /** One head on this pass. */
  public final class Member<R> implements AutoCloseable {
    private final SharedHead<R> head;
    private final BertEncoder encoder;
    private final int window;
    private final double headFraction;
    private volatile boolean closed;

    private Member(SharedHead<R> head) {
      this.head = head;
      this.encoder = (BertEncoder) head.encoder().encoder();
      this.window = head.encoder().tokenizer().policy().maxTokens();
      this.headFraction = head.encoder().tokenizer().policy().headFraction();
    }

    public SharedHead<R> head() {
      return head;
    }

    /**
     * Tokenizes with this head's tokenizer (on the caller's thread), then as {@link
     * #submit(TokenizedText)}.
     */
    public CompletableFuture<R> submit(String text) {
      return submit(head.encoder().tokenize(text));
    }

    /**
     * This head's output for a text tokenized by its own tokenizer: from a remembered or running
     * pass over the same ids when there is one, else from a new pass (queued with the batcher's
     * deadline and bound; a full queue fails the future at once).
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<R> submit(TokenizedText text) {
      PassKey key = new PassKey(text.text(), text.ids());
      CompletableFuture<Map<Member<?>, Object>> pass;
      boolean fresh = false;
      synchronized (SharedEncoderPass.this) {
        pass = memo.get(key);
        if (pass == null
            || (pass.isDone()
                && !pass.isCompletedExceptionally()
                && !pass.join().containsKey(this))) {
          pass = batcher.submit(new Job(text, eligible(text, this)));
          memo.put(key, pass);
          passes++;
          fresh = true;
        } else {
          reused++;
        }
      }
      if (fresh) {
        CompletableFuture<Map<Member<?>, Object>> mine = pass;
        // A failed pass (deadline, full queue, closed) is forgotten so the next ask retries.
        mine.whenComplete(
            (r, e) -> {
              if (e != null) {
                synchronized (SharedEncoderPass.this) {
                  memo.remove(key, mine);
                }
              }
            });
      }
      return pass.thenCompose(
          outputs -> {
            Object o = outputs.get(this);
            if (o != null || outputs.containsKey(this)) {
              return CompletableFuture.completedFuture((R) o);
            }
            if (closed) {
              return CompletableFuture.failedFuture(
                  new BatcherClosedException(
                      head.name(), "the classifier was unloaded before its pass ran"));
            }
            // A pass queued before this head joined: run one for this head alone.
            return batcher.submit(new Job(text, List.of(this))).thenApply(r -> (R) r.get(this));
          });
    }

    /** Batch statistics of the shared batcher are reported to {@code observer} too. */
    public void observe(BatchObserver observer) {
      observers.add(observer);
    }

    /**
     * Leaves the pass (a reload dropped this head). Returns once no batch is using the head, so the
     * caller may free the head's own weights; later batches skip it.
     */
    @Override
    public void close() {
      closed = true;
      members.remove(this);
      running.writeLock().lock(); // waits for the batches in progress to end
      running.writeLock().unlock();
    }

    private boolean readsSameIds(TokenizedText t, Member<?> asker) {
      if (!t.truncated()) {
        return t.length() <= window;
      }
      return window == asker.window && headFraction == asker.headFraction;
    }
  }

  private List<Member<?>> eligible(TokenizedText t, Member<?> asker) {
    List<Member<?>> out = new ArrayList<>();
    out.add(asker);
    for (Member<?> m : members) {
      if (m != asker && m.readsSameIds(t, asker)) {
        out.add(m);
      }
    }
    return out;
  }

  private record Job(TokenizedText text, List<Member<?>> heads) {}

  /** Identity of a pass: the text (heads read it too, e.g. word features) and its token ids. */
  private record PassKey(String text, long[] ids) {
    @Override
    public boolean equals(Object o) {
      return o instanceof PassKey k && k.text.equals(text) && Arrays.equals(k.ids, ids);
    }

    @Override
    public int hashCode() {
      return text.hashCode() * 31 + Arrays.hashCode(ids);
    }
  }

  /** One batch: the common bottom once, then each encoder's own top, then every head. */
  private List<Map<Member<?>, Object>> run(List<Job> jobs) {
    running.readLock().lock();
    try {
      return runLocked(jobs);
    } finally {
      running.readLock().unlock();
    }
  }

  private List<Map<Member<?>, Object>> runLocked(List<Job> jobs) {
    List<TokenizedText> texts = jobs.stream().map(Job::text).toList();
    // Heads grouped by the encoder (base or variant) whose output they read.
    Map<BertEncoder, List<Member<?>>> byEncoder = new IdentityHashMap<>();
    for (Job j : jobs) {
      for (Member<?> m : j.heads()) {
        if (m.closed) {
          continue; // unloaded while queued: its weights may be gone
        }
        List<Member<?>> l = byEncoder.computeIfAbsent(m.encoder, e -> new ArrayList<>());
        if (!l.contains(m)) {
          l.add(m);
        }
      }
    }
    int split = base.numLayers();
    for (BertEncoder e : byEncoder.keySet()) {
      split = Math.min(split, e.firstOwnLayer());
    }
    List<Map<Member<?>, Object>> out = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      out.add(new IdentityHashMap<>());
    }
    NDManager m = base.parameters().manager().newSubManager();
    try {
      NDArray[] inputs = TextEncoder.inputs(m, texts, base.padTokenId());
      int bottom = split;
      NDArray trunk = Ops.noGrad(() -> base.embedAndRun(inputs[0], inputs[1], bottom));
      for (Map.Entry<BertEncoder, List<Member<?>>> e : byEncoder.entrySet()) {
        BertEncoder enc = e.getKey();
        NDArray hidden =
            bottom == enc.numLayers()
                ? trunk
                : Ops.noGrad(() -> enc.runLayers(trunk, inputs[1], bottom));
        // Not closed per encoder: the heads' outputs and the trunk live in m, closed below.
        EncodedBatch batch = new EncodedBatch(texts, m, inputs[0], inputs[1], hidden);
        for (Member<?> member : e.getValue()) {
          List<?> results = member.head.apply().apply(batch);
          if (results.size() != texts.size()) {
            throw new IllegalStateException(
                "head '"
                    + member.head.name()
                    + "' returned "
                    + results.size()
                    + " results for "
                    + texts.size()
                    + " texts");
          }
          for (int i = 0; i < jobs.size(); i++) {
            if (jobs.get(i).heads().contains(member)) {
              out.get(i).put(member, results.get(i));
            }
          }
        }
      }
    } finally {
      m.close();
    }
    return out;
  }
}
