package io.semroute.tools.train;

import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.head.Pooling;
import io.semroute.classifier.text.TokenizedText;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sentence features from a frozen built-in encoder (pooled last hidden layer), computed once and
 * kept on disk: encoding is by far the slowest step of head training on a CPU, and the same texts
 * are encoded again for every run with other head settings.
 */
public final class EmbeddingCache {
  private final TextEncoder encoder;
  private final Path dir;
  private final String encoderId;
  private final Pooling pooling;

  /**
   * @param encoderId names the encoder and its truncation in the cache key
   */
  public EmbeddingCache(TextEncoder encoder, Path dir, String encoderId) {
    this(encoder, dir, encoderId, Pooling.MEAN);
  }

  /**
   * @param pooling how sentence vectors are read off the hidden states (part of {@code encoderId})
   */
  public EmbeddingCache(TextEncoder encoder, Path dir, String encoderId, Pooling pooling) {
    this.encoder = encoder;
    this.dir = dir;
    this.encoderId = encoderId;
    this.pooling = pooling;
  }

  /** One mean-pooled vector per text, in input order. */
  public float[][] embed(List<String> texts, String what) {
    Path file = dir.resolve(CacheKey.of(encoderId, texts) + ".f32");
    if (Files.isRegularFile(file)) {
      float[][] cached = read(file, texts.size());
      if (cached != null) {
        System.out.printf("%s: %d embeddings from cache %s%n", what, texts.size(), file);
        writeRowKeys(file, texts);
        return cached;
      }
    }
    // A list that differs from a cached one by a few rows reuses the rows it shares (per-text
    // keys beside each cache file), so adding data does not mean encoding everything again.
    Map<String, float[]> known = knownRows();
    float[][] out = new float[texts.size()][];
    List<String> missing = new ArrayList<>();
    List<Integer> missingAt = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      out[i] = known.get(rowKey(texts.get(i)));
      if (out[i] == null) {
        missing.add(texts.get(i));
        missingAt.add(i);
      }
    }
    System.out.printf(
        "%s: %d of %d embeddings from earlier cache files%n",
        what, texts.size() - missing.size(), texts.size());
    if (!missing.isEmpty()) {
      float[][] fresh = compute(missing, what);
      for (int k = 0; k < fresh.length; k++) {
        out[missingAt.get(k)] = fresh[k];
      }
    }
    write(file, out);
    writeRowKeys(file, texts);
    return out;
  }

  private String rowKey(String text) {
    return CacheKey.of(encoderId, List.of(text));
  }

  private void writeRowKeys(Path file, List<String> texts) {
    Path keys = file.resolveSibling(file.getFileName() + ".keys");
    if (Files.isRegularFile(keys)) {
      return;
    }
    List<String> lines = new ArrayList<>(texts.size());
    texts.forEach(t -> lines.add(rowKey(t)));
    try {
      Files.write(keys, lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write embedding cache keys " + keys, e);
    }
  }

  /** Rows of every cache file of this encoder id that has a keys file beside it. */
  private Map<String, float[]> knownRows() {
    Map<String, float[]> known = new HashMap<>();
    if (!Files.isDirectory(dir)) {
      return known;
    }
    try (var files = Files.list(dir)) {
      for (Path keys :
          files.filter(p -> p.getFileName().toString().endsWith(".f32.keys")).toList()) {
        Path data = keys.resolveSibling(keys.getFileName().toString().replaceFirst("\\.keys$", ""));
        List<String> k = Files.readAllLines(keys);
        float[][] rows = Files.isRegularFile(data) ? read(data, k.size()) : null;
        if (rows != null) {
          for (int i = 0; i < rows.length; i++) {
            known.put(k.get(i), rows[i]);
          }
        }
      }
    } catch (IOException e) {
      return known; // the cache is an optimisation: on trouble, encode
    }
    return known;
  }

  /**
   * Last-layer hidden state of every token (special tokens included, padding excluded) per text, in
   * input order; for token-classification heads.
   */
  public List<float[][]> tokenStates(List<String> texts, String what) {
    Path file = dir.resolve(CacheKey.of(encoderId, texts) + ".tokens.f32");
    List<TokenizedText> tokenized = encoder.tokenize(texts);
    if (Files.isRegularFile(file)) {
      float[][] flat = read(file, tokenized.stream().mapToInt(TokenizedText::length).sum());
      if (flat != null) {
        System.out.printf("%s: token states of %d texts from cache %s%n", what, texts.size(), file);
        List<float[][]> out = new ArrayList<>();
        int row = 0;
        for (TokenizedText t : tokenized) {
          out.add(Arrays.copyOfRange(flat, row, row + t.length()));
          row += t.length();
        }
        return out;
      }
    }
    float[][][] perText = new float[texts.size()][][];
    runBatches(
        tokenized,
        "encode " + what,
        (index, b, k, flat, seq, h) -> {
          int len = tokenized.get(index).length();
          float[][] states = new float[len][h];
          for (int i = 0; i < len; i++) {
            System.arraycopy(flat, (k * seq + i) * h, states[i], 0, h);
          }
          perText[index] = states;
        },
        true);
    List<float[][]> out = Arrays.asList(perText);
    List<float[]> rows = new ArrayList<>();
    out.forEach(t -> rows.addAll(Arrays.asList(t)));
    write(file, rows.toArray(new float[0][]));
    return out;
  }

  @FunctionalInterface
  private interface BatchSink {
    void accept(int index, EncodedBatch b, int k, float[] flat, int seq, int h);
  }

  private void runBatches(
      List<TokenizedText> tokenized, String label, BatchSink sink, boolean tokens) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < tokenized.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt(i -> tokenized.get(i).length()));
    ProgressBar bar = new ProgressBar(label, tokenized.size(), System.out);
    int i = 0;
    while (i < order.size()) {
      int longest = tokenized.get(order.get(i)).length();
      int j = i;
      List<TokenizedText> batch = new ArrayList<>();
      while (j < order.size() && batch.size() < 64) {
        int len = tokenized.get(order.get(j)).length();
        if (!batch.isEmpty() && (long) Math.max(longest, len) * (batch.size() + 1) > 8192) {
          break;
        }
        longest = Math.max(longest, len);
        batch.add(tokenized.get(order.get(j)));
        j++;
      }
      try (EncodedBatch b = encoder.encodeTokenized(batch)) {
        float[] flat =
            Ops.noGrad(
                () ->
                    tokens
                        ? b.hidden().toFloatArray()
                        : pooling.pool(b.hidden(), b.attentionMask()).toFloatArray());
        int h = encoder.encoder().hiddenSize();
        int seq = b.sequenceLength();
        for (int k = 0; k < batch.size(); k++) {
          sink.accept(order.get(i + k), b, k, flat, seq, h);
        }
      }
      bar.step(batch.size(), null);
      i = j;
    }
  }

  private float[][] compute(List<String> texts, String what) {
    List<TokenizedText> tokenized = encoder.tokenize(texts);
    float[][] out = new float[texts.size()][];
    // Mean-pooled vectors: runBatches hands over [batch, h] per encoded batch.
    runBatches(
        tokenized,
        "encode " + what,
        (index, b, k, flat, seq, h) -> out[index] = Arrays.copyOfRange(flat, k * h, (k + 1) * h),
        false);
    return out;
  }

  private static float[][] read(Path file, int n) {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      int rows = in.readInt();
      int dim = in.readInt();
      if (rows != n) {
        return null;
      }
      float[][] out = new float[rows][dim];
      for (float[] r : out) {
        for (int k = 0; k < dim; k++) {
          r[k] = in.readFloat();
        }
      }
      return out;
    } catch (IOException e) {
      return null; // a damaged cache file is simply recomputed
    }
  }

  private static void write(Path file, float[][] rows) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeInt(rows.length);
        out.writeInt(rows.length == 0 ? 0 : rows[0].length);
        for (float[] r : rows) {
          for (float v : r) {
            out.writeFloat(v);
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write embedding cache " + file, e);
    }
  }
}
