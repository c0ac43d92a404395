package io.semroute.tools.bench;

import java.io.PrintWriter;

/**
 * ONNX Runtime is optional (not in router.jar): load {@link OrtMiniLm} only if its classes are on
 * the classpath, so the rest of the benchmark runs without it.
 */
final class OrtLoader {

  private OrtLoader() {}

  static BatchForward tryLoad(int threads, PrintWriter out) throws Exception {
    try {
      Class.forName("ai.onnxruntime.OrtEnvironment", false, OrtLoader.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      out.printf(
          "(ONNX Runtime is not on the classpath: comparison skipped; "
              + "docs/performance.md shows the command that adds it)%n%n");
      return null;
    }
    return (BatchForward)
        Class.forName("io.semroute.tools.bench.OrtMiniLm")
            .getDeclaredConstructor(int.class)
            .newInstance(threads);
  }
}
