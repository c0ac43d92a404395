package io.semroute.classifier.encoder.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.semroute.classifier.checkpoint.CheckpointConfig;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.encoder.Activation;
import io.semroute.classifier.encoder.Encoder;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.weights.Parameters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Hugging Face {@code BertModel} (post-LayerNorm encoder; bert-base, MiniLM and friends), without
 * the pooler (heads own it). Single-segment inputs: token type 0 everywhere.
 *
 * <p>For speed the query/key/value projections of each layer are fused into one matrix at load
 * time, registered in {@link Parameters} as {@code
 * <prefix>encoder.layer.N.attention.self.qkv.weight} / {@code .bias} ([3H, H], rows q then k then
 * v); the separate q/k/v tensors are dropped.
 */
public final class BertEncoder implements Encoder {

  private record Layer(
      NDArray qkvW,
      NDArray qkvB,
      NDArray outW,
      NDArray outB,
      NDArray ln1W,
      NDArray ln1B,
      NDArray interW,
      NDArray interB,
      NDArray ffOutW,
      NDArray ffOutB,
      NDArray ln2W,
      NDArray ln2B) {}

  private final Parameters params;
  private final String prefix;
  private final int hidden;
  private final int heads;
  private final int maxPos;
  private final long padId;
  private final float eps;
  private final Activation act;
  private final NDArray wordEmb;
  private final NDArray posEmb;
  private final NDArray type0;
  private final NDArray embLnW;
  private final NDArray embLnB;
  private final List<Layer> layers = new ArrayList<>();
  private final BertEncoder base;
  private final int inter;
  private final int firstOwnLayer;

  /**
   * @param prefix tensor-name prefix before {@code embeddings.}: {@code "bert."} for task
   *     checkpoints, {@code ""} for bare encoders such as sentence-transformers MiniLM
   */
  public BertEncoder(CheckpointConfig cfg, Parameters params, String prefix) {
    this.params = params;
    this.prefix = prefix;
    this.hidden = cfg.requireInt("hidden_size");
    this.heads = cfg.requireInt("num_attention_heads");
    int layersN = cfg.requireInt("num_hidden_layers");
    this.inter = cfg.requireInt("intermediate_size");
    int vocab = cfg.requireInt("vocab_size");
    this.maxPos = cfg.intOr("max_position_embeddings", 512);
    this.padId = cfg.intOr("pad_token_id", 0);
    this.eps = (float) cfg.doubleOr("layer_norm_eps", 1e-12);
    this.act = Activation.fromConfig(cfg.string("hidden_act", "gelu"), cfg.source());
    if (hidden % heads != 0) {
      throw new CheckpointFormatException(
          cfg.source()
              + ": hidden_size "
              + hidden
              + " is not a multiple of num_attention_heads "
              + heads);
    }
    String pe = cfg.string("position_embedding_type", "absolute");
    if (!pe.equals("absolute")) {
      throw new CheckpointFormatException(
          cfg.source() + ": position_embedding_type '" + pe + "' is not supported (only absolute)");
    }
    int typeVocab = cfg.intOr("type_vocab_size", 2);
    String e = prefix + "embeddings.";
    wordEmb = params.require(e + "word_embeddings.weight", vocab, hidden);
    posEmb = params.require(e + "position_embeddings.weight", maxPos, hidden);
    NDArray typeEmb = params.require(e + "token_type_embeddings.weight", typeVocab, hidden);
    // Row 0 only: every input is a single segment. Kept as a derived constant.
    type0 = params.put(e + "token_type_embeddings.row0", typeEmb.get(0));
    embLnW = norm(params, e + "LayerNorm", true);
    embLnB = norm(params, e + "LayerNorm", false);
    for (int i = 0; i < layersN; i++) {
      layers.add(readLayer(params, prefix + "encoder.layer." + i + "."));
    }
    this.base = null;
    this.firstOwnLayer = layersN;
  }

  /**
   * A copy of {@code base} whose layers {@code own} are read from {@code ownParams} (same
   * checkpoint names, prefix-free), sharing every other tensor with {@code base}: a head fine-tuned
   * on its top layer carries only that layer, and {@link #base()} lets a shared pass run the common
   * bottom once.
   */
  private BertEncoder(BertEncoder base, Parameters ownParams, SortedSet<Integer> own) {
    this.params = ownParams;
    this.prefix = base.prefix;
    this.hidden = base.hidden;
    this.heads = base.heads;
    this.maxPos = base.maxPos;
    this.padId = base.padId;
    this.eps = base.eps;
    this.act = base.act;
    this.inter = base.inter;
    this.wordEmb = base.wordEmb;
    this.posEmb = base.posEmb;
    this.type0 = base.type0;
    this.embLnW = base.embLnW;
    this.embLnB = base.embLnB;
    for (int i = 0; i < base.layers.size(); i++) {
      layers.add(
          own.contains(i) ? readLayer(ownParams, "encoder.layer." + i + ".") : base.layers.get(i));
    }
    this.base = base;
    this.firstOwnLayer = own.first();
  }

  /**
   * This encoder with layers {@code own} replaced by the tensors of {@code ownParams} (checkpoint
   * names as {@link #checkpointNames}); the result owns {@code ownParams} only.
   */
  public BertEncoder withOwnLayers(Parameters ownParams, Collection<Integer> own) {
    if (base != null) {
      throw new IllegalStateException("layers can only be replaced on a base encoder");
    }
    SortedSet<Integer> set = new TreeSet<>(own);
    if (set.isEmpty() || set.first() < 0 || set.last() >= layers.size()) {
      throw new IllegalArgumentException(
          "layer indices " + own + " outside [0, " + layers.size() + ")");
    }
    return new BertEncoder(this, ownParams, set);
  }

  /** The encoder this one shares its bottom layers with, or itself for a base encoder. */
  public BertEncoder base() {
    return base == null ? this : base;
  }

  /**
   * The first layer this encoder does not share with {@link #base()} ({@link #numLayers()} for a
   * base encoder): a shared pass runs the base up to here once, then each variant's own layers.
   */
  public int firstOwnLayer() {
    return firstOwnLayer;
  }

  private Layer readLayer(Parameters params, String p) {
    String s = p + "attention.self.";
    NDArray qw = params.require(s + "query.weight", hidden, hidden);
    NDArray kw = params.require(s + "key.weight", hidden, hidden);
    NDArray vw = params.require(s + "value.weight", hidden, hidden);
    NDArray qb = params.require(s + "query.bias", hidden);
    NDArray kb = params.require(s + "key.bias", hidden);
    NDArray vb = params.require(s + "value.bias", hidden);
    NDArray qkvW = params.put(s + "qkv.weight", NDArrays.concat(new NDList(qw, kw, vw), 0));
    NDArray qkvB = params.put(s + "qkv.bias", NDArrays.concat(new NDList(qb, kb, vb), 0));
    for (String n : new String[] {"query", "key", "value"}) {
      params.forget(s + n + ".weight");
      params.forget(s + n + ".bias");
    }
    return new Layer(
        qkvW,
        qkvB,
        params.require(p + "attention.output.dense.weight", hidden, hidden),
        params.require(p + "attention.output.dense.bias", hidden),
        norm(params, p + "attention.output.LayerNorm", true),
        norm(params, p + "attention.output.LayerNorm", false),
        params.require(p + "intermediate.dense.weight", inter, hidden),
        params.require(p + "intermediate.dense.bias", inter),
        params.require(p + "output.dense.weight", hidden, inter),
        params.require(p + "output.dense.bias", hidden),
        norm(params, p + "output.LayerNorm", true),
        norm(params, p + "output.LayerNorm", false));
  }

  /** Finds the prefix under which a checkpoint keeps BERT's embeddings ("bert.", "" ...). */
  /** The checkpoint names of layer {@code i} of a bare (prefix-free) BERT encoder. */
  public static List<String> checkpointNames(int i) {
    String p = "encoder.layer." + i + ".";
    List<String> out = new ArrayList<>();
    for (String n : new String[] {"query", "key", "value"}) {
      out.add(p + "attention.self." + n + ".weight");
      out.add(p + "attention.self." + n + ".bias");
    }
    for (String n :
        new String[] {
          "attention.output.dense",
          "attention.output.LayerNorm",
          "intermediate.dense",
          "output.dense",
          "output.LayerNorm"
        }) {
      out.add(p + n + ".weight");
      out.add(p + n + ".bias");
    }
    return out;
  }

  public static String detectPrefix(Parameters params) {
    for (String p : new String[] {"bert.", "", "model.", "encoder."}) {
      if (params.has(p + "embeddings.word_embeddings.weight")) {
        return p;
      }
    }
    throw new CheckpointFormatException(
        params.source().describe()
            + ": no BERT embeddings found (expected a tensor like 'bert.embeddings.word_embeddings.weight')");
  }

  /** LayerNorm weights under either naming (weight/bias, or TF-era gamma/beta). */
  private NDArray norm(Parameters params, String base, boolean weight) {
    String a = base + (weight ? ".weight" : ".bias");
    String b = base + (weight ? ".gamma" : ".beta");
    return params.has(a) || !params.has(b) ? params.require(a, hidden) : params.require(b, hidden);
  }

  @Override
  public NDArray forward(NDArray ids, NDArray mask) {
    return runLayers(embedAndRun(ids, mask, 0), mask, 0, true);
  }

  /** Number of transformer layers. */
  public int numLayers() {
    return layers.size();
  }

  /**
   * Embeddings and then layers {@code [0, upTo)}: the hidden states after {@code upTo} layers
   * ({@code upTo == 0}: the embedding output), float32 [batch, seq, hidden]. With {@link
   * #runLayers} this splits {@link #forward} in two, so fine-tuning can run the frozen bottom once
   * per text and only the top layers every epoch.
   */
  public NDArray embedAndRun(NDArray ids, NDArray mask, int upTo) {
    checkLayerIndex(upTo);
    NDManager m = ids.getManager();
    long seq = ids.getShape().get(1);
    if (seq > maxPos) {
      throw new IllegalArgumentException(
          "sequence of " + seq + " tokens exceeds max_position_embeddings " + maxPos);
    }
    NDArray posType = Ops.rows(posEmb, seq, m).add(type0);
    NDArray x = Ops.layerNorm(Ops.embedding(ids, wordEmb).add(posType), embLnW, embLnB, eps);
    return run(x, mask, 0, upTo, true);
  }

  /**
   * Layers {@code [from, numLayers())} over given hidden states (e.g. from {@link #embedAndRun}
   * with {@code upTo == from}); the caller's {@code states} are left open.
   */
  public NDArray runLayers(NDArray states, NDArray mask, int from) {
    return runLayers(states, mask, from, false);
  }

  private NDArray runLayers(NDArray states, NDArray mask, int from, boolean closeInput) {
    checkLayerIndex(from);
    return run(states, mask, from, layers.size(), closeInput);
  }

  private void checkLayerIndex(int k) {
    if (k < 0 || k > layers.size()) {
      throw new IllegalArgumentException(
          "layer index " + k + " outside [0, " + layers.size() + "]");
    }
  }

  private NDArray run(NDArray states, NDArray mask, int from, int to, boolean closeInput) {
    if (from == to) {
      return states;
    }
    long batch = states.getShape().get(0);
    long seq = states.getShape().get(1);
    float scale = (float) (1.0 / Math.sqrt(hidden / heads));
    NDArray maskAdd = Ops.additivePaddingMask(mask);
    NDArray x = states;
    for (int i = from; i < to; i++) {
      // A scope per layer frees its attention scores etc. as soon as the layer is done, which keeps
      // long inputs from holding every layer's S*S matrices at once.
      NDArray input = x;
      try (NDScope scope = new NDScope()) {
        x = layer(layers.get(i), x, maskAdd, batch, seq, scale);
        NDScope.unregister(x);
      }
      // Only the new hidden states are needed from here on (autograd keeps its own references).
      if (closeInput || input != states) {
        input.close();
      }
    }
    return x;
  }

  /**
   * The names in {@link #parameters()} of layer {@code i}'s tensors (query/key/value fused into
   * {@code attention.self.qkv.*}), for training just that layer.
   */
  public List<String> layerParameterNames(int i) {
    checkLayerIndex(i + 1);
    String p = prefix + "encoder.layer." + i + ".";
    return List.of(
        p + "attention.self.qkv.weight",
        p + "attention.self.qkv.bias",
        p + "attention.output.dense.weight",
        p + "attention.output.dense.bias",
        normName(p + "attention.output.LayerNorm", true),
        normName(p + "attention.output.LayerNorm", false),
        p + "intermediate.dense.weight",
        p + "intermediate.dense.bias",
        p + "output.dense.weight",
        p + "output.dense.bias",
        normName(p + "output.LayerNorm", true),
        normName(p + "output.LayerNorm", false));
  }

  private String normName(String base, boolean weight) {
    String a = base + (weight ? ".weight" : ".bias");
    String b = base + (weight ? ".gamma" : ".beta");
    return params.asMap().containsKey(a) || !params.asMap().containsKey(b) ? a : b;
  }

  private NDArray layer(Layer l, NDArray x, NDArray maskAdd, long batch, long seq, float scale) {
    int hd = hidden / heads;
    // [B,S,3H] -> [B,3*heads,S,hd] -> q,k,v [B,heads,S,hd]
    NDList qkv =
        Ops.linear(x, l.qkvW, l.qkvB)
            .reshape(batch, seq, 3L * heads, hd)
            .transpose(0, 2, 1, 3)
            .split(3, 1);
    NDArray scores = qkv.get(0).mul(scale).matMul(qkv.get(1).transpose(0, 1, 3, 2)).add(maskAdd);
    NDArray ctx =
        scores.softmax(-1).matMul(qkv.get(2)).transpose(0, 2, 1, 3).reshape(batch, seq, hidden);
    NDArray a = Ops.layerNorm(Ops.linear(ctx, l.outW, l.outB).add(x), l.ln1W, l.ln1B, eps);
    NDArray ff = Ops.linear(act.apply(Ops.linear(a, l.interW, l.interB)), l.ffOutW, l.ffOutB);
    return Ops.layerNorm(ff.add(a), l.ln2W, l.ln2B, eps);
  }

  public String prefix() {
    return prefix;
  }

  @Override
  public int hiddenSize() {
    return hidden;
  }

  @Override
  public int maxPositions() {
    return maxPos;
  }

  @Override
  public long padTokenId() {
    return padId;
  }

  @Override
  public Parameters parameters() {
    return params;
  }
}
