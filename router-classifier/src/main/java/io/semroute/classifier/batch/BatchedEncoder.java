package io.semroute.classifier.batch;

import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.text.TokenizedText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Concurrent requests through one encoder, micro-batched, with every head of that encoder read off
 * the same pass: domain, jailbreak and PII on one backbone cost one forward, not three.
 *
 * <p>Texts are tokenized on the caller's thread (tokenizing is parallel and lets the batcher group
 * by token count); the worker pads, encodes and applies the heads. Each call's native memory lives
 * in the {@link EncodedBatch}'s own manager, closed before the results are handed out.
 */
public final class BatchedEncoder implements AutoCloseable {
  private final TextEncoder encoder;
  private final List<SharedHead<?>> heads;
  private final MicroBatcher<TokenizedText, HeadOutputs> batcher;

  private BatchedEncoder(
      TextEncoder encoder, List<SharedHead<?>> heads, String name, BatchPolicy policy) {
    if (heads.isEmpty()) {
      throw new IllegalArgumentException("batcher '" + name + "' needs at least one head");
    }
    for (SharedHead<?> head : heads) {
      if (head.encoder() != encoder) {
        throw new IllegalArgumentException(
            "head '"
                + head.name()
                + "' of batcher '"
                + name
                + "' reads a different encoder: heads sharing a pass must be built on the same TextEncoder");
      }
    }
    this.encoder = encoder;
    this.heads = List.copyOf(heads);
    this.batcher = MicroBatcher.start(name, policy, TokenizedText::length, this::run);
  }

  /** Starts a batcher over {@code heads}, which must all read {@code encoder}. */
  public static BatchedEncoder start(
      String name, TextEncoder encoder, BatchPolicy policy, List<SharedHead<?>> heads) {
    return new BatchedEncoder(encoder, heads, name, policy);
  }

  /** Starts a batcher whose heads all read the first head's encoder. */
  public static BatchedEncoder start(String name, BatchPolicy policy, SharedHead<?>... heads) {
    if (heads.length == 0) {
      throw new IllegalArgumentException("batcher '" + name + "' needs at least one head");
    }
    return new BatchedEncoder(heads[0].encoder(), List.of(heads), name, policy);
  }

  public List<SharedHead<?>> heads() {
    return heads;
  }

  public MicroBatcher<TokenizedText, HeadOutputs> batcher() {
    return batcher;
  }

  /** Tokenizes on this thread, then queues with the policy's default deadline. */
  public CompletableFuture<HeadOutputs> submit(String text) {
    return batcher.submit(encoder.tokenize(text));
  }

  public CompletableFuture<HeadOutputs> submit(String text, Duration deadline) {
    return batcher.submit(encoder.tokenize(text), deadline);
  }

  public CompletableFuture<HeadOutputs> submit(TokenizedText text, Duration deadline) {
    return batcher.submit(text, deadline);
  }

  private List<HeadOutputs> run(List<TokenizedText> texts) {
    try (EncodedBatch pass = encoder.encodeTokenized(texts)) {
      List<List<?>> perHead = new ArrayList<>(heads.size());
      for (SharedHead<?> head : heads) {
        List<?> results = head.apply().apply(pass);
        if (results.size() != texts.size()) {
          throw new IllegalStateException(
              "head '"
                  + head.name()
                  + "' returned "
                  + results.size()
                  + " results for "
                  + texts.size()
                  + " texts");
        }
        perHead.add(results);
      }
      List<HeadOutputs> out = new ArrayList<>(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        Object[] row = new Object[heads.size()];
        for (int h = 0; h < heads.size(); h++) {
          row[h] = perHead.get(h).get(i);
        }
        out.add(new HeadOutputs(texts.get(i), heads, row));
      }
      return out;
    }
  }

  /**
   * Finishes queued requests (bounded by their deadlines) and stops; does not close the encoder.
   */
  @Override
  public void close() {
    batcher.close();
  }
}
