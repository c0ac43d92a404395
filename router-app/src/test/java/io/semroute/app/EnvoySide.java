package io.semroute.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.peer.Downstream;
import io.semroute.peer.FilterFailure;
import io.semroute.peer.FilterSettings;
import io.semroute.peer.FilterWalk;
import io.semroute.peer.HttpUpstream;
import io.semroute.peer.Walked;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Envoy's part in front of one router process: the peer's {@link FilterWalk} with
 * deploy/envoy/envoy.yaml's filter settings over a real gRPC channel to the process, then the
 * request to the backend of the model named by {@code x-selected-model} (else the default model's,
 * Envoy's default route) over real HTTP. Thread-safe: one channel, one ext_proc stream per request.
 */
final class EnvoySide implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** envoy.yaml's ext_proc {@code message_timeout}. */
  private static final Duration MESSAGE_TIMEOUT = Duration.ofSeconds(10);

  /** What the client received. */
  record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    /** {@code total_tokens} of the last SSE chunk with usage, or -1 when none had it. */
    long sseTotalTokens() throws IOException {
      long total = -1;
      for (String line : text().split("\n")) {
        if (line.startsWith("data: {")) {
          JsonNode usage = JSON.readTree(line.substring(6)).path("usage");
          if (usage.has("total_tokens")) {
            total = usage.path("total_tokens").asLong();
          }
        }
      }
      return total;
    }
  }

  private final ManagedChannel channel;
  private final FilterWalk<String> filters;

  /**
   * @param routerGrpcPort the router process's ext_proc port on localhost
   * @param backends model → {@code host:port} of its backend
   * @param defaultModel where a request without {@code x-selected-model} goes
   */
  EnvoySide(int routerGrpcPort, Map<String, String> backends, String defaultModel) {
    Map<String, String> targets = Map.copyOf(backends);
    this.channel =
        NettyChannelBuilder.forAddress("127.0.0.1", routerGrpcPort)
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    this.filters =
        new FilterWalk<>(
            ExternalProcessorGrpc.newStub(channel),
            FilterSettings.envoyYaml(MESSAGE_TIMEOUT),
            headers -> {
              List<String> selected = headers.get(RoutingHeaders.SELECTED_MODEL);
              return selected != null && targets.containsKey(selected.get(0))
                  ? selected.get(0)
                  : defaultModel;
            },
            new HttpUpstream<>(
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                targets::get,
                Duration.ofSeconds(60),
                false));
  }

  /**
   * Plays one client POST through Envoy.
   *
   * @param headers more request headers, name then value
   */
  Answer post(String path, String json, String... headers)
      throws IOException, InterruptedException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    Map<String, List<String>> h = new LinkedHashMap<>();
    put(h, ":method", "POST");
    put(h, ":path", path);
    put(h, ":scheme", "http");
    put(h, ":authority", "envoy:8801");
    put(h, "content-type", "application/json");
    put(h, "content-length", Integer.toString(body.length));
    for (int i = 0; i < headers.length; i += 2) {
      put(h, headers[i], headers[i + 1]);
    }
    FilterWalk.addConnectionManagerHeaders(h);
    Client client = new Client();
    Walked<String> walked;
    try {
      walked = filters.walk(h, body, client);
    } catch (FilterFailure f) {
      throw new IOException("Envoy would fail the request (" + f.status() + "): " + f, f);
    }
    if (walked.streamProblem() != null) {
      throw new IOException("ext_proc stream problem: " + walked.streamProblem());
    }
    return new Answer(client.status, client.headers, client.body.toByteArray());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static void put(Map<String, List<String>> h, String name, String value) {
    h.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
  }

  /** What the client receives. */
  private static final class Client implements Downstream {
    int status;
    Map<String, List<String>> headers = Map.of();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    @Override
    public void head(int status, Map<String, List<String>> headers, long length) {
      this.status = status;
      this.headers = headers;
    }

    @Override
    public void body(byte[] chunk) {
      body.writeBytes(chunk);
    }
  }
}
