package io.semroute.tools.bench;

import io.semroute.classifier.DeviceSpec;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.TextEmbedder;
import io.semroute.classifier.TorchRuntime;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.classifier.text.TokenizedText;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test: prints batch-1 latency of the built-in MiniLM (and optionally a model directory) for
 * a given intra-op thread count. Thread counts are fixed when the engine loads, so compare counts
 * in separate JVMs: {@code java -cp ... io.semroute.classifier.LatencyProbe <threads> [modelDir]
 * [tokens]}.
 */
public final class LatencyProbe {
  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    TorchRuntime.configure(threads, 1);
    String text =
        "Prove that the square root of 2 is irrational, step by step, and explain each step.";
    try (TextEmbedder e =
        ClassifierRegistry.builtinEmbedder(LoadOptions.DEFAULT.withDevice(DeviceSpec.CPU))) {
      int tokens = e.encoder().tokenize(text).length();
      report("MiniLM batch 1, " + tokens + " tokens", () -> e.embed(List.of(text)));
      List<String> eight = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        eight.add(text);
      }
      report("MiniLM batch 8, " + tokens + " tokens", () -> e.embed(eight));
      TokenizedText tt = e.encoder().tokenize(text);
      report("MiniLM tokenize only", () -> e.encoder().tokenize(List.of(text)));
      report("MiniLM encoder forward only", () -> e.encoder().encodeTokenized(List.of(tt)).close());
      report(
          "MiniLM encode+meanPool",
          () -> {
            try (EncodedBatch b = e.encoder().encodeTokenized(List.of(tt))) {
              Ops.meanPool(b.hidden(), b.attentionMask());
            }
          });
      report(
          "MiniLM encode+meanPool+normalize",
          () -> {
            try (EncodedBatch b = e.encoder().encodeTokenized(List.of(tt))) {
              Ops.meanPool(b.hidden(), b.attentionMask()).normalize(2, 1, 1e-12);
            }
          });
      report(
          "MiniLM encode+hidden.toFloatArray",
          () -> {
            try (EncodedBatch b = e.encoder().encodeTokenized(List.of(tt))) {
              b.hidden().toFloatArray();
            }
          });
      try (OrtLastHidden ort = new OrtLastHidden(threads)) {
        report("ONNX Runtime same graph batch 1", () -> ort.lastHidden(tt.ids()));
      }
    }
    if (args.length > 1) {
      int n = args.length > 2 ? Integer.parseInt(args[2]) : 500;
      StringBuilder sb = new StringBuilder();
      for (int i = 0; sb.length() < n * 6; i++) {
        sb.append('t').append(4 + (i * 37) % 1000).append(' ');
      }
      try (SequenceClassifier c =
          ClassifierRegistry.openSequence(
              Path.of(args[1]), LoadOptions.DEFAULT.withDevice(DeviceSpec.CPU).withMaxTokens(n))) {
        String t = sb.toString();
        int tokens = c.encoder().tokenize(t).length();
        report(args[1] + " batch 1, " + tokens + " tokens", () -> c.classify(List.of(t)));
      }
    }
  }

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  /**
   * Wall time and this thread's CPU time per call. With one intra-op thread libtorch (and ONNX
   * Runtime) compute on the calling thread, so CPU time is the cost of the work itself, unaffected
   * by other processes competing for the two cores.
   */
  private static void report(String what, Runnable r) {
    for (int i = 0; i < Math.min(20, Integer.getInteger("probe.iterations", 200)); i++) {
      r.run();
    }
    int n = Integer.getInteger("probe.iterations", 200);
    long[] ns = new long[n];
    long[] cpu = new long[n];
    for (int i = 0; i < n; i++) {
      long c0 = CPU.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      r.run();
      ns[i] = System.nanoTime() - t0;
      cpu[i] = CPU.getCurrentThreadCpuTime() - c0;
    }
    Arrays.sort(ns);
    Arrays.sort(cpu);
    System.out.printf(
        "threads=%d %s: wall p50 %.2f ms p90 %.2f ms | cpu p50 %.2f ms%n",
        TorchRuntime.intraOpThreads(),
        what,
        ns[n / 2] / 1e6,
        ns[n * 9 / 10] / 1e6,
        cpu[n / 2] / 1e6);
  }
}
