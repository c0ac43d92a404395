package io.semroute.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code router serve --config} in a JVM of its own, as a replica runs: {@link Main} on this test's
 * classpath, its config written to {@code target/router-processes/<name>.yaml} with free listener
 * ports, its output in {@code <name>.log} beside it (the place to look when a test fails). Ready
 * when its {@code GET /ready} answers 200; stopped with SIGTERM (the graceful drain), forcibly when
 * that takes longer than 10 s.
 */
final class RouterProcess implements AutoCloseable {
  /** Where configs and logs go: the module's target folder, kept after the run. */
  static final Path DIR = Path.of("target", "router-processes");

  private static final Duration START_DEADLINE = Duration.ofSeconds(90);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;
  private final int grpcPort;
  private final int httpPort;
  private final int metricsPort;

  private RouterProcess(
      String name, Process process, Path log, int grpcPort, int httpPort, int metricsPort) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
    this.metricsPort = metricsPort;
  }

  /**
   * Starts {@code serve} without waiting for it; {@link #awaitReady} waits.
   *
   * @param config the config without {@code listeners:}, which this class adds
   */
  static RouterProcess start(String name, String config) throws IOException {
    Files.createDirectories(DIR);
    int grpc = freePort();
    int http = freePort();
    int metrics = freePort();
    Path file = DIR.resolve(name + ".yaml").toAbsolutePath();
    Files.writeString(
        file,
        "listeners: {grpc_port: %d, http_port: %d, metrics_port: %d}\n"
                .formatted(grpc, http, metrics)
            + config);
    Path log = DIR.resolve(name + ".log").toAbsolutePath();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A small replica: no classifiers to load, a few hundred requests; quick to start.
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classpath(),
            Main.class.getName(),
            "serve",
            "--config",
            file.toString()));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    p.getOutputStream().close(); // serve reads no input
    return new RouterProcess(name, p, log, grpc, http, metrics);
  }

  /** Waits until {@code GET /ready} answers 200; fails with the log's tail when it dies first. */
  RouterProcess awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + " before it was ready; " + tail());
      }
      try {
        HttpResponse<Void> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return this;
        }
      } catch (IOException notListeningYet) {
        // the HTTP API is not up yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        name + " was not ready within " + START_DEADLINE.toSeconds() + " s; " + tail());
  }

  int grpcPort() {
    return grpcPort;
  }

  /** The process's Prometheus text from {@code listeners.metrics_port}. */
  String metrics() throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The sum of a metric's samples (every label set), 0 when it has none. */
  double metricSum(String metric) throws IOException, InterruptedException {
    double sum = 0;
    for (String line : metrics().split("\n")) {
      if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** The log file's last lines, for failure messages. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "last lines of "
          + log
          + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ": " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The test JVM's classpath: the module's classes and every dependency, from the reactor or the
   * local repository (Surefire sets {@code java.class.path} to it in the forked JVM).
   */
  private static String classpath() {
    String cp = System.getProperty("java.class.path");
    if (cp == null || !cp.contains("picocli")) {
      throw new IllegalStateException(
          "java.class.path does not hold the module's dependencies: " + cp);
    }
    return cp;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
