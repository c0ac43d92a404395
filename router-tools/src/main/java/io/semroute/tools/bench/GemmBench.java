package io.semroute.tools.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.semroute.classifier.TorchRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's own matrix-multiply rate on this machine: DJL/libtorch {@code matMul} of float32
 * matrices at the shapes the encoders run, with the thread settings in effect. The yardstick the
 * encoders' achieved GFLOP/s are divided by.
 */
public final class GemmBench {

  /** {@code [m x k] x [k x n]}, with what it stands for. */
  public record GemmShape(int m, int k, int n, String meaning) {
    double flops() {
      return 2.0 * m * k * n;
    }

    String label() {
      return "[" + m + "x" + k + "] x [" + k + "x" + n + "]";
    }
  }

  /** Median and best rate over the timed calls. */
  public record Result(
      GemmShape shape, int calls, double medianMs, double medianGflops, double bestGflops) {}

  /** MiniLM's feed-forward at 64 and 512 tokens, ModernBERT-base's QKV, and a large square. */
  public static final List<GemmShape> DEFAULT_SHAPES =
      List.of(
          new GemmShape(64, 384, 1536, "MiniLM feed-forward, 64 tokens"),
          new GemmShape(512, 384, 1536, "MiniLM feed-forward, 512 tokens"),
          new GemmShape(2048, 384, 384, "MiniLM projection, 32 x 64 tokens"),
          new GemmShape(512, 768, 2304, "ModernBERT-base QKV, 512 tokens"),
          new GemmShape(2048, 2048, 2048, "large square"));

  private GemmBench() {}

  /**
   * Times each shape: two warm-up calls, then calls until {@code seconds} have passed (at least
   * five).
   */
  public static List<Result> run(List<GemmShape> shapes, double seconds) {
    TorchRuntime.engine();
    List<Result> results = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      for (GemmShape s : shapes) {
        try (NDManager scope = manager.newSubManager()) {
          NDArray a = scope.randomUniform(-1f, 1f, new Shape(s.m(), s.k()));
          NDArray b = scope.randomUniform(-1f, 1f, new Shape(s.k(), s.n()));
          for (int i = 0; i < 2; i++) {
            a.matMul(b).close();
          }
          List<Long> times = new ArrayList<>();
          long budget = (long) (seconds * 1e9);
          long start = System.nanoTime();
          while (times.size() < 5 || System.nanoTime() - start < budget) {
            long t0 = System.nanoTime();
            a.matMul(b).close();
            times.add(System.nanoTime() - t0);
          }
          long[] nanos = times.stream().mapToLong(Long::longValue).toArray();
          LatencyStats stats = LatencyStats.of(nanos);
          results.add(
              new Result(
                  s,
                  nanos.length,
                  stats.p50(),
                  s.flops() / (stats.p50() * 1e6),
                  s.flops() / (stats.min() * 1e6)));
        }
      }
    }
    return results;
  }

  /** The highest median rate among the results: the "peak" encoder rates are compared with. */
  public static double peakGflops(List<Result> results) {
    return results.stream().mapToDouble(Result::medianGflops).max().orElse(Double.NaN);
  }
}
