package io.semroute.classifier.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * The few fused primitives the encoders are built from. Each result is attached to the manager of
 * the per-call input (the receiver), never to the long-lived weights manager, so a batch's native
 * memory is freed when its manager closes.
 */
public final class Ops {
  /**
   * Additive mask value for positions a query may not see. Finite (not -inf) so that a padded query
   * row whose whole window is masked gives a harmless uniform softmax instead of NaN, which would
   * leak into real tokens through 0 * NaN in the next matmul.
   */
  static final float MASKED = -1e30f;

  private Ops() {}

  /** x @ w^T + b, torch.nn.functional.linear; b may be null. */
  public static NDArray linear(NDArray x, NDArray w, NDArray b) {
    return x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
  }

  /** LayerNorm over the last axis; beta must be given (zeros for bias-free norms). */
  public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
    return x.getNDArrayInternal()
        .layerNorm(x, new Shape(x.getShape().get(x.getShape().dimension() - 1)), gamma, beta, eps)
        .singletonOrThrow();
  }

  /** Rows of table for the given int64 ids (torch.nn.functional.embedding). */
  public static NDArray embedding(NDArray ids, NDArray table) {
    return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
  }

  /** The first n rows of a long-lived table, owned by the per-call manager. */
  public static NDArray rows(NDArray table, long n, NDManager callManager) {
    return table.get(callManager, new NDIndex("0:{}", n));
  }

  /** [B,S] 0/1 mask to an additive [B,1,1,S] float mask: 0 where visible, MASKED where padded. */
  public static NDArray additivePaddingMask(NDArray mask) {
    Shape s = mask.getShape();
    return mask.toType(DataType.FLOAT32, false)
        .sub(1f)
        .mul(-MASKED)
        .reshape(s.get(0), 1, 1, s.get(1));
  }

  /**
   * Band mask [1,1,S,S]: 0 where |i-j| <= halfWindow, MASKED elsewhere (ModernBERT local
   * attention); built on the per-call manager so its S*S floats are freed with the batch.
   */
  public static NDArray slidingWindowMask(NDManager m, long seqLen, int halfWindow) {
    NDArray r = m.arange(0f, (float) seqLen, 1f, DataType.FLOAT32);
    NDArray dist = r.reshape(seqLen, 1).sub(r.reshape(1, seqLen)).abs();
    return dist.gt(halfWindow)
        .toType(DataType.FLOAT32, false)
        .mul(MASKED)
        .reshape(1, 1, seqLen, seqLen);
  }

  /**
   * Band mask [1,1,rows,keys] for query positions r0..r1-1 against key positions k0..k1-1: 0 where
   * |query - key| <= halfWindow, MASKED elsewhere.
   */
  public static NDArray slidingWindowMask(
      NDManager m, long r0, long r1, long k0, long k1, int halfWindow) {
    NDArray rows = m.arange((float) r0, (float) r1, 1f, DataType.FLOAT32).reshape(r1 - r0, 1);
    NDArray cols = m.arange((float) k0, (float) k1, 1f, DataType.FLOAT32).reshape(1, k1 - k0);
    return rows.sub(cols)
        .abs()
        .gt(halfWindow)
        .toType(DataType.FLOAT32, false)
        .mul(MASKED)
        .reshape(1, 1, r1 - r0, k1 - k0);
  }

  /** Mean over real tokens: sum(h * mask) / count, [B,S,H] to [B,H]. */
  public static NDArray meanPool(NDArray hidden, NDArray mask) {
    NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(2);
    return hidden.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1f));
  }

  /** Hidden state of the first token ([CLS]), [B,S,H] to [B,H]. */
  public static NDArray firstToken(NDArray hidden) {
    return hidden.get(":, 0, :");
  }

  /**
   * Runs an inference body with autograd recording off on this thread (libtorch's grad mode is
   * thread-local), restoring the caller's mode after. Training calls the forward methods directly
   * inside a GradientCollector instead.
   */
  public static <T> T noGrad(Supplier<T> body) {
    boolean was = JniUtils.isGradMode();
    if (was) {
      JniUtils.setGradMode(false);
    }
    try {
      return body.get();
    } finally {
      if (was) {
        JniUtils.setGradMode(true);
      }
    }
  }
}
