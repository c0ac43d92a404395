package io.semroute.app.bench;

import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.peer.Downstream;
import io.semroute.peer.FilterFailure;
import io.semroute.peer.FilterSettings;
import io.semroute.peer.FilterWalk;
import io.semroute.peer.UpstreamResponse;
import io.semroute.peer.Walked;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Envoy's side of ext_proc for one POST /v1/chat/completions at a time, over a real gRPC channel:
 * the peer's {@link FilterWalk} (the gateway's and the test emulator's), with a canned OpenAI chat
 * completion from the model the route names instead of a real upstream. Which messages are sent is
 * decided by the processing mode (deploy/envoy/envoy.yaml's: headers SEND, bodies BUFFERED both
 * ways); mutations follow Envoy's rules, so the canned answer names the model the router chose and
 * a body replaced without a matching {@code content-length} fails as in Envoy.
 *
 * <p>Thread-safe: any number of callers share one HTTP/2 channel, one stream per request.
 */
final class ExtProcClient implements AutoCloseable {

  /** What one request came to. */
  record Outcome(int status, boolean answeredByRouter, String model, String error) {
    boolean ok() {
      return error == null && status == 200;
    }
  }

  private static final String CANNED_ANSWER =
      "Here is a short answer from the benchmark's stand-in for the model.";

  private final ManagedChannel channel;
  private final ExternalProcessorGrpc.ExternalProcessorStub stub;
  private final FilterSettings settings;
  private final AtomicLong ids = new AtomicLong();

  ExtProcClient(String host, int port, ProcessingMode mode, Duration messageTimeout) {
    if (mode.getRequestBodyMode() != BodySendMode.BUFFERED
        && mode.getRequestBodyMode() != BodySendMode.NONE) {
      throw new IllegalArgumentException("the benchmark client sends request bodies BUFFERED only");
    }
    this.channel =
        NettyChannelBuilder.forAddress(host, port)
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    this.stub = ExternalProcessorGrpc.newStub(channel);
    this.settings =
        new FilterSettings(
            mode, true, FilterSettings.ENVOY_YAML_BUFFER_LIMIT_BYTES, messageTimeout);
  }

  /**
   * Plays one request. Never throws for what the router does: a gRPC error, a timeout, a reply of
   * the wrong type or a refused mutation come back as an outcome with {@code error} set.
   */
  Outcome send(byte[] requestJson, String requestedModel) throws InterruptedException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    header(headers, ":method", "POST");
    header(headers, ":path", "/v1/chat/completions");
    header(headers, ":scheme", "http");
    header(headers, ":authority", "bench.local:8801");
    header(headers, "content-type", "application/json");
    header(headers, "content-length", Integer.toString(requestJson.length));
    FilterWalk.addConnectionManagerHeaders(headers);
    // The route is the model: the one the router selected, else the one the client asked for.
    FilterWalk<String> filters =
        new FilterWalk<>(
            stub,
            settings,
            h -> {
              String selected = first(h, RoutingHeaders.SELECTED_MODEL);
              return selected == null ? requestedModel : selected;
            },
            (model, h, body) -> completion(model, body.length));
    Status client = new Status();
    Walked<String> walked;
    try {
      walked = filters.walk(headers, requestJson, client);
    } catch (FilterFailure | IOException e) {
      return new Outcome(0, false, null, e.getMessage());
    }
    if (walked.streamProblem() != null) {
      return new Outcome(0, false, null, walked.streamProblem());
    }
    ImmediateResponse immediate = walked.immediate();
    if (immediate != null) {
      return new Outcome(
          client.status,
          true,
          null,
          client.status == 200
              ? null
              : "immediate response " + client.status + ": " + immediate.getDetails());
    }
    if (walked.forwarded() == null) {
      return new Outcome(client.status, false, null, "Envoy's local reply " + client.status);
    }
    return new Outcome(200, false, walked.forwarded().route(), null);
  }

  @Override
  public void close() {
    try {
      // Every request has ended by now: nothing in flight to wait for beyond the transport.
      if (!channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the benchmark's gRPC channel did not terminate in 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Only the status matters to the benchmark; the answer itself is dropped. */
  private static final class Status implements Downstream {
    int status;

    @Override
    public void head(int status, Map<String, List<String>> headers, long length) {
      this.status = status;
    }

    @Override
    public void body(byte[] chunk) {}
  }

  private UpstreamResponse completion(String model, int promptBytes) {
    int promptTokens = Math.max(1, promptBytes / 4);
    int completionTokens = 14;
    String json =
        "{\"id\":\"chatcmpl-bench-"
            + ids.incrementAndGet()
            + "\",\"object\":\"chat.completion\","
            + "\"created\":"
            + (System.currentTimeMillis() / 1000)
            + ",\"model\":\""
            + model.replace("\"", "")
            + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
            + CANNED_ANSWER
            + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
            + promptTokens
            + ",\"completion_tokens\":"
            + completionTokens
            + ",\"total_tokens\":"
            + (promptTokens + completionTokens)
            + "}}";
    byte[] answer = json.getBytes(StandardCharsets.UTF_8);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    header(headers, "content-type", "application/json");
    header(headers, "content-length", Integer.toString(answer.length));
    return new UpstreamResponse(200, headers, new ByteArrayInputStream(answer));
  }

  private static void header(Map<String, List<String>> headers, String name, String value) {
    headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
