package io.semroute.extproc.ops;

import io.semroute.extproc.emulator.EnvoyConfig;
import io.semroute.extproc.emulator.EnvoyEmulator;
import io.semroute.peer.mock.MockVllmServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shared pieces of the operations tests: a keyword-only config file, mocks, HTTP, scrapes. */
final class OpsFixtures {
  private OpsFixtures() {}

  /**
   * A keyword-only config (nothing to load) with the model and backend names of
   * deploy/envoy/envoy.yaml, pricing on qwen3-8b, every port 0 (free), plus {@code extra} YAML.
   */
  static String keywordConfig(String extraListeners, String extraTop) {
    return """
        listeners:
          grpc_port: 0
          http_port: 0
          metrics_port: 0
        %s
        default_model: llama-3.1-8b-instruct
        reasoning_families:
          qwen3: {type: chat_template_kwargs, parameter: enable_thinking}
        models:
          qwen3-8b: {reasoning_family: qwen3, pricing: {prompt_per_1m: 2.0, completion_per_1m: 6.0, currency: USD}}
          llama-3.1-8b-instruct: {}
        backends:
          - {name: vllm-qwen, address: vllm-qwen:8000, models: [qwen3-8b]}
          - {name: vllm-llama, address: vllm-llama:8000, models: [llama-3.1-8b-instruct]}
        categories:
          - name: math
            model_scores:
              - {model: qwen3-8b, score: 1.0, use_reasoning: true}
              - {model: llama-3.1-8b-instruct, score: 0.4}
            keywords:
              - {score: 0.95, words: [derivative, integral, equation]}
          - name: biology
            model_scores:
              - {model: llama-3.1-8b-instruct, score: 0.9}
            keywords:
              - {score: 0.9, words: [photosynthesis, mitochondria]}
        %s
        """
        .formatted(extraListeners.indent(2).stripTrailing(), extraTop);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static final class Backends implements AutoCloseable {
    final MockVllmServer qwen;
    final MockVllmServer llama;

    Backends(int chunks) throws IOException {
      qwen =
          new MockVllmServer(
                  new InetSocketAddress("127.0.0.1", 0), "vllm-qwen", List.of("qwen3-8b"), chunks)
              .start();
      llama =
          new MockVllmServer(
                  new InetSocketAddress("127.0.0.1", 0),
                  "vllm-llama",
                  List.of("llama-3.1-8b-instruct"),
                  chunks)
              .start();
    }

    EnvoyEmulator envoy(int routerPort) throws IOException {
      return new EnvoyEmulator(
          EnvoyConfig.load(),
          routerPort,
          Map.of(
              "vllm-qwen:8000", new InetSocketAddress("127.0.0.1", qwen.port()),
              "vllm-llama:8000", new InetSocketAddress("127.0.0.1", llama.port())));
    }

    @Override
    public void close() {
      qwen.close();
      llama.close();
    }
  }

  static HttpResponse<String> http(String method, String url, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** The value of the sample {@code name} with exactly these labels, or null when absent. */
  static Double sample(String scrape, String name, Map<String, String> labels) {
    for (String line : scrape.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches() || !m.group(1).equals(name)) {
        continue;
      }
      Map<String, String> found = new HashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          found.put(l.group(1), l.group(2));
        }
      }
      if (found.equals(labels)) {
        return Double.parseDouble(m.group(3));
      }
    }
    return null;
  }

  /** Every label value {@code label} takes on samples of {@code name}. */
  static Set<String> labelValues(String scrape, String name, String label) {
    Set<String> out = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches() && m.group(1).equals(name) && m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          if (l.group(1).equals(label)) {
            out.add(l.group(2));
          }
        }
      }
    }
    return out;
  }

  /** Runs {@code promtool check metrics} on the text; null when promtool is not installed. */
  static ProcessResult promtool(String scrape) throws IOException, InterruptedException {
    String bin = which("promtool");
    if (bin == null) {
      return null;
    }
    Process p = new ProcessBuilder(bin, "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(scrape.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new ProcessResult(p.waitFor(), out);
  }

  record ProcessResult(int exit, String output) {}

  static String which(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, binary);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
