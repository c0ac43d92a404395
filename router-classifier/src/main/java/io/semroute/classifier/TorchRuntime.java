package io.semroute.classifier;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the DJL PyTorch engine once, offline, with thread counts chosen on purpose.
 *
 * <p>Why: libtorch's default intra-op pool uses every core, and on small CPUs small matrices (batch
 * 1, tens of tokens) lose more to thread hand-off than they gain; several concurrent callers also
 * oversubscribe the cores. Both counts are read by DJL from system properties when the engine
 * loads, so {@link #configure} must run before the first model loads; the intra-op count can still
 * be changed later through {@link #setIntraOpThreads}.
 */
public final class TorchRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(TorchRuntime.class);
  static final String THREADS = "ai.djl.pytorch.num_threads";
  static final String INTEROP = "ai.djl.pytorch.num_interop_threads";

  /** Default intra-op threads: one (measured fastest for batch-1 requests on 2-core boxes). */
  public static final int DEFAULT_INTRA_OP_THREADS = 1;

  private static volatile Engine engine;

  private TorchRuntime() {}

  /**
   * Sets thread counts for when the engine loads; 0 keeps libtorch's own default. Has no effect on
   * inter-op threads once the engine is loaded (libtorch fixes them at first use).
   */
  public static synchronized void configure(int intraOpThreads, int interOpThreads) {
    if (engine != null) {
      if (intraOpThreads > 0) {
        setIntraOpThreads(intraOpThreads);
      }
      return;
    }
    if (intraOpThreads > 0) {
      System.setProperty(THREADS, Integer.toString(intraOpThreads));
    }
    if (interOpThreads > 0) {
      System.setProperty(INTEROP, Integer.toString(interOpThreads));
    }
  }

  /** The PyTorch engine, loaded on first call with our defaults unless configured otherwise. */
  public static Engine engine() {
    Engine e = engine;
    if (e == null) {
      synchronized (TorchRuntime.class) {
        if (engine == null) {
          // Weights only ever come from local files or the classpath; never let DJL download.
          if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
          }
          if (System.getProperty(THREADS) == null) {
            System.setProperty(THREADS, Integer.toString(DEFAULT_INTRA_OP_THREADS));
          }
          if (System.getProperty(INTEROP) == null) {
            System.setProperty(INTEROP, "1");
          }
          engine = Engine.getEngine("PyTorch");
          LOG.debug(
              "PyTorch engine {} loaded: intra-op threads {}, inter-op threads {}",
              engine.getVersion(),
              JniUtils.getNumThreads(),
              JniUtils.getNumInteropThreads());
        }
        e = engine;
      }
    }
    return e;
  }

  /** libtorch's intra-op pool size; may be changed at any time. */
  public static void setIntraOpThreads(int n) {
    engine();
    JniUtils.setNumThreads(n);
  }

  public static int intraOpThreads() {
    engine();
    return JniUtils.getNumThreads();
  }
}
