package io.semroute.classifier.encoder.modernbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.semroute.classifier.checkpoint.CheckpointConfig;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.encoder.Activation;
import io.semroute.classifier.encoder.Encoder;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.weights.Parameters;
import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face {@code ModernBertModel}, following the eager attention path of {@code
 * modeling_modernbert.py}: pre-LayerNorm layers (the first layer's attention norm is the identity),
 * fused Wqkv, rotary position embeddings with a different base for global and sliding-window
 * layers, every {@code global_attn_every_n_layers}-th layer global and the others seeing only
 * {@code local_attention/2} tokens either side, gated GELU MLP (Wi gives input and gate halves),
 * and a final norm.
 *
 * <p>Load-time constants (not parameters): the rotary cos/sin tables per layer kind, pre-scaled by
 * head_dim^-1/4 each so that q.k comes out already multiplied by head_dim^-1/2, and a fixed [hd,hd]
 * matrix that does rotate_half as one matmul.
 */
public final class ModernBertEncoder implements Encoder {

  private record Layer(
      boolean global,
      NDArray attnNormW,
      NDArray attnNormB,
      NDArray wqkv,
      NDArray bqkv,
      NDArray wo,
      NDArray bo,
      NDArray mlpNormW,
      NDArray mlpNormB,
      NDArray wi,
      NDArray bi,
      NDArray wmo,
      NDArray bmo) {}

  private final Parameters params;
  private final int hidden;
  private final int heads;
  private final int maxPos;
  private final long padId;
  private final float eps;
  private final int halfWindow;
  private final Activation act;
  private final NDArray tokEmb;
  private final NDArray embNormW;
  private final NDArray embNormB;
  private final NDArray finalNormW;
  private final NDArray finalNormB;
  private final NDArray cosGlobal;
  private final NDArray sinGlobal;
  private final NDArray cosLocal;
  private final NDArray sinLocal;
  private final NDArray rotateHalf;
  private final List<Layer> layers = new ArrayList<>();
  private volatile int queryBlock = 512;

  public ModernBertEncoder(CheckpointConfig cfg, Parameters params, String prefix) {
    this.params = params;
    NDManager wm = params.manager();
    hidden = cfg.requireInt("hidden_size");
    heads = cfg.requireInt("num_attention_heads");
    int nLayers = cfg.requireInt("num_hidden_layers");
    int inter = cfg.requireInt("intermediate_size");
    int vocab = cfg.requireInt("vocab_size");
    maxPos = cfg.intOr("max_position_embeddings", 8192);
    padId = cfg.intOr("pad_token_id", 0);
    eps = (float) cfg.doubleOr("norm_eps", 1e-5);
    int everyN = cfg.intOr("global_attn_every_n_layers", 3);
    halfWindow = cfg.intOr("local_attention", 128) / 2;
    act = Activation.fromConfig(cfg.string("hidden_activation", "gelu"), cfg.source());
    boolean normBias = cfg.boolOr("norm_bias", false);
    boolean attnBias = cfg.boolOr("attention_bias", false);
    boolean mlpBias = cfg.boolOr("mlp_bias", false);
    if (hidden % heads != 0) {
      throw new CheckpointFormatException(
          cfg.source()
              + ": hidden_size "
              + hidden
              + " is not a multiple of num_attention_heads "
              + heads);
    }
    int hd = hidden / heads;
    double globalTheta = cfg.doubleOr("global_rope_theta", 160000.0);
    // HF: sliding-window layers use local_rope_theta when set, else the global base.
    double localTheta = cfg.doubleOr("local_rope_theta", globalTheta);

    String e = prefix + "embeddings.";
    tokEmb = params.require(e + "tok_embeddings.weight", vocab, hidden);
    embNormW = params.require(e + "norm.weight", hidden);
    embNormB = normBias ? params.require(e + "norm.bias", hidden) : zeros(wm, hidden);
    for (int i = 0; i < nLayers; i++) {
      String p = prefix + "layers." + i + ".";
      boolean first = i == 0;
      layers.add(
          new Layer(
              i % everyN == 0,
              first ? null : params.require(p + "attn_norm.weight", hidden),
              first
                  ? null
                  : normBias ? params.require(p + "attn_norm.bias", hidden) : zeros(wm, hidden),
              params.require(p + "attn.Wqkv.weight", 3L * hidden, hidden),
              attnBias ? params.require(p + "attn.Wqkv.bias", 3L * hidden) : null,
              params.require(p + "attn.Wo.weight", hidden, hidden),
              attnBias ? params.require(p + "attn.Wo.bias", hidden) : null,
              params.require(p + "mlp_norm.weight", hidden),
              normBias ? params.require(p + "mlp_norm.bias", hidden) : zeros(wm, hidden),
              params.require(p + "mlp.Wi.weight", 2L * inter, hidden),
              mlpBias ? params.require(p + "mlp.Wi.bias", 2L * inter) : null,
              params.require(p + "mlp.Wo.weight", hidden, inter),
              mlpBias ? params.require(p + "mlp.Wo.bias", hidden) : null));
    }
    finalNormW = params.require(prefix + "final_norm.weight", hidden);
    finalNormB = normBias ? params.require(prefix + "final_norm.bias", hidden) : zeros(wm, hidden);

    float tableScale = (float) Math.pow(hd, -0.25);
    NDArray[] g = ropeTables(wm, globalTheta, hd, maxPos, tableScale);
    NDArray[] l = ropeTables(wm, localTheta, hd, maxPos, tableScale);
    cosGlobal = g[0];
    sinGlobal = g[1];
    cosLocal = l[0];
    sinLocal = l[1];
    rotateHalf = rotateHalfMatrix(wm, hd);
  }

  /** Finds the prefix under which a checkpoint keeps ModernBERT's embeddings ("model." or ""). */
  public static String detectPrefix(Parameters params) {
    for (String p : new String[] {"model.", ""}) {
      if (params.has(p + "embeddings.tok_embeddings.weight")) {
        return p;
      }
    }
    throw new CheckpointFormatException(
        params.source().describe()
            + ": no ModernBERT embeddings found (expected 'model.embeddings.tok_embeddings.weight')");
  }

  private static NDArray zeros(NDManager m, int n) {
    return m.zeros(new Shape(n));
  }

  /**
   * cos/sin [maxPos, hd] for rotary embeddings, computed in float32 the way PyTorch does (inv_freq
   * = 1 / theta^(2j/hd), angle = pos * inv_freq, halves repeated), then scaled.
   */
  static NDArray[] ropeTables(NDManager m, double theta, int hd, int maxPos, float scale) {
    int half = hd / 2;
    float[] inv = new float[half];
    for (int j = 0; j < half; j++) {
      float exponent = (float) (2 * j) / (float) hd;
      inv[j] = 1.0f / (float) Math.pow((float) theta, exponent);
    }
    float[] cos = new float[maxPos * hd];
    float[] sin = new float[maxPos * hd];
    for (int pos = 0; pos < maxPos; pos++) {
      for (int j = 0; j < half; j++) {
        float angle = (float) pos * inv[j];
        float c = (float) Math.cos(angle) * scale;
        float s = (float) Math.sin(angle) * scale;
        cos[pos * hd + j] = c;
        cos[pos * hd + j + half] = c;
        sin[pos * hd + j] = s;
        sin[pos * hd + j + half] = s;
      }
    }
    return new NDArray[] {
      m.create(cos, new Shape(maxPos, hd)), m.create(sin, new Shape(maxPos, hd))
    };
  }

  /** R with x @ R == rotate_half(x) == cat(-x[h:], x[:h]). */
  static NDArray rotateHalfMatrix(NDManager m, int hd) {
    int h = hd / 2;
    float[] r = new float[hd * hd];
    for (int j = 0; j < h; j++) {
      r[(j + h) * hd + j] = -1f;
      r[j * hd + (j + h)] = 1f;
    }
    return m.create(r, new Shape(hd, hd));
  }

  @Override
  public NDArray forward(NDArray ids, NDArray mask) {
    NDManager m = ids.getManager();
    long seq = ids.getShape().get(1);
    if (seq > maxPos) {
      throw new IllegalArgumentException(
          "sequence of " + seq + " tokens exceeds max_position_embeddings " + maxPos);
    }
    NDArray x = Ops.layerNorm(Ops.embedding(ids, tokEmb), embNormW, embNormB, eps);
    NDArray globalMask = Ops.additivePaddingMask(mask);
    // The band only matters when some token is farther than the window from another. Long inputs
    // are attended block by block instead (see attention), so no S x S mask is ever built for them.
    int block = queryBlock;
    boolean blocked = seq > block;
    NDArray localMask =
        blocked || seq <= halfWindow + 1
            ? globalMask
            : globalMask.add(Ops.slidingWindowMask(m, seq, halfWindow));
    NDArray[] ropeG = {Ops.rows(cosGlobal, seq, m), Ops.rows(sinGlobal, seq, m)};
    NDArray[] ropeL = {Ops.rows(cosLocal, seq, m), Ops.rows(sinLocal, seq, m)};
    for (Layer l : layers) {
      NDArray input = x;
      try (NDScope scope = new NDScope()) {
        x =
            layer(
                l,
                x,
                l.global ? globalMask : localMask,
                globalMask,
                l.global ? ropeG : ropeL,
                block);
        NDScope.unregister(x);
      }
      // Only the new hidden states are needed from here on (autograd keeps its own references).
      input.close();
    }
    return Ops.layerNorm(x, finalNormW, finalNormB, eps);
  }

  private NDArray layer(
      Layer l, NDArray x, NDArray mask, NDArray paddingMask, NDArray[] rope, int block) {
    long batch = x.getShape().get(0);
    long seq = x.getShape().get(1);
    int hd = hidden / heads;
    NDArray h = l.attnNormW == null ? x : Ops.layerNorm(x, l.attnNormW, l.attnNormB, eps);
    // [B,S,3H] -> [B,3*heads,S,hd]; the first 2*heads are q and k (rotated together), then v.
    NDList qkv =
        Ops.linear(h, l.wqkv, l.bqkv)
            .reshape(batch, seq, 3L * heads, hd)
            .transpose(0, 2, 1, 3)
            .split(new long[] {2L * heads}, 1);
    NDArray qk = qkv.get(0);
    NDArray rotated = qk.mul(rope[0]).add(qk.matMul(rotateHalf).mul(rope[1]));
    NDList qAndK = rotated.split(2, 1);
    NDArray attended =
        seq > block
            ? blockedAttention(qAndK.get(0), qAndK.get(1), qkv.get(1), paddingMask, l.global, block)
            : qAndK
                .get(0)
                .matMul(qAndK.get(1).transpose(0, 1, 3, 2))
                .add(mask)
                .softmax(-1)
                .matMul(qkv.get(1));
    NDArray ctx = attended.transpose(0, 2, 1, 3).reshape(batch, seq, hidden);
    x = x.add(Ops.linear(ctx, l.wo, l.bo));
    NDList inputAndGate =
        Ops.linear(Ops.layerNorm(x, l.mlpNormW, l.mlpNormB, eps), l.wi, l.bi).split(2, 2);
    NDArray gated = act.apply(inputAndGate.get(0)).mul(inputAndGate.get(1));
    return x.add(Ops.linear(gated, l.wmo, l.bmo));
  }

  /**
   * Attention for long inputs, one block of query rows at a time, so the scores never take more
   * than heads x block x keys floats (an 8192-token prompt would otherwise need several 3 GB S x S
   * matrices per layer). Sliding-window layers also only read the keys within their window of the
   * block, which cuts their cost from S^2 to S x (block + window). Same result as the full masked
   * softmax: keys left out are exactly those the mask would zero.
   */
  private NDArray blockedAttention(
      NDArray q, NDArray k, NDArray v, NDArray paddingMask, boolean global, int block) {
    NDManager m = q.getManager();
    long seq = q.getShape().get(2);
    NDList blocks = new NDList();
    for (long r0 = 0; r0 < seq; r0 += block) {
      long r1 = Math.min(seq, r0 + block);
      long k0 = global ? 0 : Math.max(0, r0 - halfWindow);
      long k1 = global ? seq : Math.min(seq, r1 + halfWindow);
      try (NDScope scope = new NDScope()) {
        NDArray keys = k.get(":, :, {}:{}, :", k0, k1);
        NDArray blockMask = paddingMask.get(":, :, :, {}:{}", k0, k1);
        if (!global) {
          blockMask = blockMask.add(Ops.slidingWindowMask(m, r0, r1, k0, k1, halfWindow));
        }
        NDArray out =
            q.get(":, :, {}:{}, :", r0, r1)
                .matMul(keys.transpose(0, 1, 3, 2))
                .add(blockMask)
                .softmax(-1)
                .matMul(v.get(":, :, {}:{}, :", k0, k1));
        NDScope.unregister(out);
        blocks.add(out);
      }
    }
    NDArray joined = NDArrays.concat(blocks, 2);
    blocks.close();
    return joined;
  }

  /**
   * Query rows attended at once for inputs longer than this (default 512). Smaller blocks use less
   * memory for long prompts; the result does not depend on it.
   */
  public void setQueryBlock(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("query block must be positive");
    }
    this.queryBlock = rows;
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
