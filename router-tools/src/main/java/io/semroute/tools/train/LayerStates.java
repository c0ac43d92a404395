package io.semroute.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.encoder.bert.BertEncoder;
import io.semroute.classifier.text.TokenizedText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Per-token hidden states of texts after the frozen bottom layers of the built-in encoder
 * (embeddings + layers [0, k)), float32, one {@code [length * hidden]} array per text (no padding).
 * Fine-tuning runs the bottom once per text through this and every epoch only the top layers; the
 * states are kept on disk (key: encoder id, k and the texts) so a second run with other settings
 * skips the slow part.
 */
public final class LayerStates {
  private final float[][] states;
  private final int[] lengths;
  private final int hidden;

  LayerStates(float[][] states, int[] lengths, int hidden) {
    this.states = states;
    this.lengths = lengths;
    this.hidden = hidden;
  }

  public int size() {
    return states.length;
  }

  public int hidden() {
    return hidden;
  }

  public int length(int i) {
    return lengths[i];
  }

  /**
   * Row indices in batches of up to {@code size}, shortest texts first, so each batch pads little:
   * inference over all rows runs in these batches.
   */
  public int[][] lengthSortedBatches(int size) {
    Integer[] order = new Integer[states.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(this::length));
    int[][] out = new int[(order.length + size - 1) / size][];
    for (int b = 0; b < out.length; b++) {
      int start = b * size;
      out[b] = new int[Math.min(size, order.length - start)];
      for (int k = 0; k < out[b].length; k++) {
        out[b][k] = order[start + k];
      }
    }
    return out;
  }

  /** The rows at the given indices (shared arrays, no copy). */
  public LayerStates rows(int[] idx) {
    float[][] s = new float[idx.length][];
    int[] l = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      s[i] = states[idx[i]];
      l[i] = lengths[idx[i]];
    }
    return new LayerStates(s, l, hidden);
  }

  /**
   * States [n, longest, hidden] and int64 mask [n, longest] of the given rows, zero-padded, created
   * in {@code m}.
   */
  public NDArray[] batch(NDManager m, int[] rows) {
    int longest = 0;
    for (int r : rows) {
      longest = Math.max(longest, lengths[r]);
    }
    float[] x = new float[rows.length * longest * hidden];
    long[] mask = new long[rows.length * longest];
    for (int b = 0; b < rows.length; b++) {
      int r = rows[b];
      System.arraycopy(states[r], 0, x, b * longest * hidden, lengths[r] * hidden);
      Arrays.fill(mask, b * longest, b * longest + lengths[r], 1L);
    }
    return new NDArray[] {
      m.create(x, new Shape(rows.length, longest, hidden)),
      m.create(mask, new Shape(rows.length, longest))
    };
  }

  /**
   * States after layers [0, k) of {@code encoder}'s BERT for each text, from the cache when there.
   */
  public static LayerStates compute(
      TextEncoder encoder,
      List<String> texts,
      int k,
      Path cacheDir,
      String encoderId,
      String what) {
    if (!(encoder.encoder() instanceof BertEncoder bert)) {
      throw new IllegalArgumentException(
          "layer states need a BERT encoder, got " + encoder.encoder().getClass().getSimpleName());
    }
    Path file =
        cacheDir == null
            ? null
            : cacheDir.resolve(CacheKey.of(encoderId + "/layers-0-" + k, texts) + ".states.f32");
    if (file != null && Files.isRegularFile(file)) {
      LayerStates cached = read(file, texts.size());
      if (cached != null) {
        System.out.printf(
            "%s: layer-%d states of %d texts from cache %s%n", what, k, texts.size(), file);
        return cached;
      }
    }
    List<TokenizedText> tokenized = encoder.tokenize(texts);
    int h = bert.hiddenSize();
    float[][] out = new float[texts.size()][];
    int[] lengths = new int[texts.size()];
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < tokenized.size(); i++) {
      order.add(i);
      lengths[i] = tokenized.get(i).length();
    }
    // Similar lengths together keep padding (wasted work) small.
    order.sort(Comparator.comparingInt(i -> lengths[i]));
    ProgressBar bar =
        new ProgressBar("encode " + what + " (layers 0-" + (k - 1) + ")", texts.size(), System.out);
    int i = 0;
    while (i < order.size()) {
      int j = i;
      int longest = 0;
      List<TokenizedText> batch = new ArrayList<>();
      while (j < order.size()
          && batch.size() < 64
          && (batch.isEmpty()
              || (long) Math.max(longest, lengths[order.get(j)]) * (batch.size() + 1) <= 8192)) {
        longest = Math.max(longest, lengths[order.get(j)]);
        batch.add(tokenized.get(order.get(j)));
        j++;
      }
      try (NDManager m = bert.parameters().manager().newSubManager()) {
        NDArray[] in = TextEncoder.inputs(m, batch, bert.padTokenId());
        float[] flat = Ops.noGrad(() -> bert.embedAndRun(in[0], in[1], k).toFloatArray());
        int seq = (int) in[0].getShape().get(1);
        for (int b = 0; b < batch.size(); b++) {
          int row = order.get(i + b);
          out[row] = Arrays.copyOfRange(flat, b * seq * h, (b * seq + lengths[row]) * h);
        }
      }
      bar.step(batch.size(), null);
      i = j;
    }
    System.out.println();
    LayerStates s = new LayerStates(out, lengths, h);
    if (file != null) {
      write(file, s);
    }
    return s;
  }

  private static void write(Path file, LayerStates s) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer head = ByteBuffer.allocate(8 + 4 * s.size()).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(s.size()).putInt(s.hidden);
        for (int l : s.lengths) {
          head.putInt(l);
        }
        head.flip();
        writeFully(ch, head);
        for (float[] row : s.states) {
          ByteBuffer b = ByteBuffer.allocate(4 * row.length).order(ByteOrder.LITTLE_ENDIAN);
          b.asFloatBuffer().put(row);
          writeFully(ch, b);
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write layer-state cache " + file, e);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static LayerStates read(Path file, int n) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = readFully(ch, 8);
      int rows = head.getInt();
      int h = head.getInt();
      if (rows != n) {
        return null;
      }
      ByteBuffer lb = readFully(ch, 4 * rows);
      int[] lengths = new int[rows];
      for (int i = 0; i < rows; i++) {
        lengths[i] = lb.getInt();
      }
      float[][] states = new float[rows][];
      for (int i = 0; i < rows; i++) {
        states[i] = new float[lengths[i] * h];
        readFully(ch, 4 * states[i].length).asFloatBuffer().get(states[i]);
      }
      return new LayerStates(states, lengths, h);
    } catch (IOException | RuntimeException e) {
      return null; // a damaged cache file is simply recomputed
    }
  }

  private static ByteBuffer readFully(FileChannel ch, int bytes) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
    b.flip();
    return b;
  }
}
