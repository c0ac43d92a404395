package io.semroute.extproc.classifiers;

import io.semroute.classifier.TextEmbedder;
import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.classifier.batch.SharedHead;
import io.semroute.classifier.text.TokenizedText;
import io.semroute.extproc.decision.ExampleClassifier;
import io.semroute.extproc.metrics.RouterMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in sentence embedder behind a micro-batcher, with a memo of the configured example
 * utterances' vectors: examples are embedded once, and a reload that keeps them costs nothing.
 */
public final class LoadedEmbedder implements LoadedClassifier, ExampleClassifier.Embedder {
  private final TextEmbedder embedder;
  private final HeadLane<float[]> lane;
  private final Map<String, float[]> examples = new ConcurrentHashMap<>();

  LoadedEmbedder(String name, TextEmbedder embedder, EncoderPasses passes) {
    this.embedder = embedder;
    this.lane = passes.lane(name, SharedHead.embedding(name, embedder));
  }

  /** An embedder with a micro-batcher of its own. */
  public LoadedEmbedder(String name, TextEmbedder embedder, BatchPolicy policy) {
    this(name, embedder, new EncoderPasses(policy));
  }

  /** Unit-length embedding of a request text, computed by the batcher. */
  @Override
  public CompletableFuture<float[]> submit(String text) {
    try {
      return lane.submit(text);
    } catch (RuntimeException e) {
      // Tokenizing happens on this thread; a classifier closed by a reload (while an old request
      // still holds it) must fail the future like any other failure, not the caller.
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Longer texts never fit the encoder's window (a few hundred tokens): {@link #submitWhole}
   * answers null for them without tokenizing.
   */
  static final int WHOLE_MAX_CHARS = 16 * 1024;

  /**
   * The embedding of a text the encoder reads whole, or null when its window would cut it (the
   * semantic cache compares only what the encoder really saw: two long prompts sharing their first
   * tokens must not look alike).
   */
  public CompletableFuture<float[]> submitWhole(String text) {
    if (text.length() > WHOLE_MAX_CHARS) {
      // Far past any window: do not tokenize megabytes on the request path to find that out.
      return null;
    }
    try {
      TokenizedText t = embedder.encoder().tokenize(text);
      if (t.truncated()) {
        return null;
      }
      return lane.submit(t);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Embeddings of configured examples, in order; computed at (re)load time, then remembered. */
  @Override
  public List<float[]> exampleVectors(List<String> texts) {
    List<String> missing = texts.stream().filter(t -> !examples.containsKey(t)).distinct().toList();
    if (!missing.isEmpty()) {
      float[][] vectors = embedder.embed(missing);
      for (int i = 0; i < missing.size(); i++) {
        examples.put(missing.get(i), vectors[i]);
      }
    }
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(examples.get(t));
    }
    return out;
  }

  @Override
  public void observe(RouterMetrics metrics, String role) {
    lane.observe(LoadedClassifier.observer(metrics, role));
  }

  @Override
  public void close() {
    lane.close(embedder::close);
  }
}
