package io.semroute.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.pipeline.RequestSummary;
import io.semroute.extproc.pipeline.RouterSnapshots;
import io.semroute.extproc.server.RouterServer;
import io.semroute.peer.mock.MockVllmServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * client --real HTTP--> {@link Gateway} --real ext_proc gRPC--> the router (keyword rules) and
 * --real HTTP--> two mock vLLMs (JSON and SSE).
 */
class GatewayEndToEndTest {
  static final String QWEN = "qwen3-8b";
  static final String LLAMA = "llama-3.1-8b-instruct";

  static RouterConfig config;
  static MockVllmServer qwen;
  static MockVllmServer llama;
  static RouterServer router;
  static Gateway gateway;
  static final ConcurrentLinkedQueue<RequestSummary> records = new ConcurrentLinkedQueue<>();
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    config =
        ConfigLoader.load(
            Path.of(GatewayEndToEndTest.class.getResource("/keywords-config.yaml").toURI()));
    qwen =
        new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-qwen", List.of(QWEN), 5)
            .start();
    llama =
        new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-llama", List.of(LLAMA), 5)
            .start();
    router =
        RouterServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            RouterSnapshots.keywordOnly(config),
            ThreadLocalRandom::current,
            records::add);
    gateway =
        Gateway.start(
            config,
            Gateway.Settings.defaults(
                new InetSocketAddress("127.0.0.1", 0),
                "127.0.0.1",
                router.grpcPort(),
                Map.of(QWEN, "127.0.0.1:" + qwen.port(), LLAMA, "127.0.0.1:" + llama.port())));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (router != null) {
      router.close();
    }
    if (qwen != null) {
      qwen.close();
    }
    if (llama != null) {
      llama.close();
    }
  }

  static String chat(String model, String text, boolean stream) {
    var body = Json.MAPPER.createObjectNode();
    body.put("model", model);
    body.putArray("messages").addObject().put("role", "user").put("content", text);
    if (stream) {
      body.put("stream", true);
    }
    return body.toString();
  }

  static HttpResponse<String> post(int port, String path, String json, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String json, String... headers) throws Exception {
    return post(gateway.port(), path, json, headers);
  }

  @Test
  void jsonRequestsReachTheBackendOfTheModelTheRouterSelected() throws Exception {
    HttpResponse<String> math =
        post("/v1/chat/completions", chat("auto", "What is the derivative of x^3?", false));
    assertThat(math.statusCode()).isEqualTo(200);
    assertThat(math.headers().firstValue("x-mock-instance")).hasValue("vllm-qwen");
    assertThat(math.headers().firstValue("x-vsr-selected-model")).hasValue(QWEN);
    assertThat(math.headers().firstValue("x-vsr-selected-category")).hasValue("math");
    assertThat(math.headers().firstValue("x-vsr-selected-reasoning")).hasValue("on");
    JsonNode answer = Json.MAPPER.readTree(math.body());
    assertThat(answer.get("model").asText()).isEqualTo(QWEN);
    JsonNode seen = answer.get("mock");
    // The rewritten body arrived whole, with the content-length the router set for it.
    assertThat(seen.toString()).contains("You are a careful mathematician.");
    assertThat(seen.toString()).contains("enable_thinking");

    HttpResponse<String> bio =
        post("/v1/chat/completions", chat("auto", "How does photosynthesis work?", false));
    assertThat(bio.statusCode()).isEqualTo(200);
    assertThat(bio.headers().firstValue("x-mock-instance")).hasValue("vllm-llama");
    assertThat(bio.headers().firstValue("x-vsr-selected-category")).hasValue("biology");
    assertThat(bio.headers().firstValue("x-vsr-selected-reasoning")).hasValue("off");
  }

  @Test
  void upstreamGetsTheRewrittenBodyWithAMatchingContentLength() throws Exception {
    HttpResponse<String> math =
        post("/v1/chat/completions", chat("auto", "Integrate this polynomial, please.", false));
    JsonNode seen = Json.MAPPER.readTree(math.body()).get("mock");
    assertThat(seen).as("mock echo").isNotNull();
    assertThat(seen.get("received_model").asText()).isEqualTo(QWEN);
    assertThat(seen.get("x_selected_model").asText()).isEqualTo(QWEN);
    JsonNode length = seen.get("content_length");
    JsonNode bytes = seen.get("body_bytes");
    assertThat(length).as("content_length in " + seen).isNotNull();
    assertThat(length.asText()).isEqualTo(bytes.asText());
  }

  @Test
  void sseAnswersAreStreamedBackThroughTheRouter() throws Exception {
    HttpResponse<String> sse =
        post(
            "/v1/chat/completions",
            chat("auto", "Explain mitochondria.", true),
            "x-request-id",
            "sse-1");
    assertThat(sse.statusCode()).isEqualTo(200);
    assertThat(sse.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    assertThat(sse.headers().firstValue("x-vsr-selected-model")).hasValue(LLAMA);
    assertThat(sse.headers().firstValue("x-mock-instance")).hasValue("vllm-llama");
    List<String> events = sse.body().lines().filter(l -> l.startsWith("data:")).toList();
    assertThat(events).hasSizeGreaterThanOrEqualTo(5 + 2);
    assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
    assertThat(sse.body()).contains("\"usage\"");
    // The router switched the response body to STREAMED (mode_override) and read usage off the
    // chunks.
    RequestSummary record = recordFor("sse-1");
    assertThat(record.responseStreamed()).isTrue();
    assertThat(record.usage()).isNotNull();
  }

  /**
   * A backend that sends one SSE event and then holds the stream open until the client has read
   * that event: only a gateway that passes chunks on as they come (STREAMED after the router's
   * mode_override) lets the client see it; a buffering one would wait for the end forever.
   */
  @Test
  void sseChunksReachTheClientWhileTheUpstreamIsStillStreaming() throws Exception {
    CountDownLatch clientSawFirst = new CountDownLatch(1);
    AtomicBoolean upstreamDone = new AtomicBoolean();
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    slow.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.getResponseHeaders().set("content-type", "text/event-stream");
          ex.sendResponseHeaders(200, 0);
          var out = ex.getResponseBody();
          out.write(
              "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"first\"}}]}\n\n"
                  .getBytes());
          out.flush();
          try {
            clientSawFirst.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          out.write("data: [DONE]\n\n".getBytes());
          ex.close();
          upstreamDone.set(true);
        });
    slow.start();
    try (Gateway g =
        Gateway.start(
            config,
            Gateway.Settings.defaults(
                new InetSocketAddress("127.0.0.1", 0),
                "127.0.0.1",
                router.grpcPort(),
                Map.of(
                    LLAMA,
                    "127.0.0.1:" + slow.getAddress().getPort(),
                    QWEN,
                    "127.0.0.1:" + qwen.port())))) {
      HttpResponse<Stream<String>> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + g.port() + "/v1/chat/completions"))
                  .header("content-type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          chat("auto", "Explain mitochondria.", true)))
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
      assertThat(r.statusCode()).isEqualTo(200);
      var lines = r.body().iterator();
      String first = lines.next();
      boolean upstreamStillOpen = !upstreamDone.get();
      clientSawFirst.countDown();
      assertThat(first).contains("first");
      assertThat(upstreamStillOpen).as("first event arrived before the upstream finished").isTrue();
      List<String> rest = new ArrayList<>();
      lines.forEachRemaining(rest::add);
      assertThat(rest).contains("data: [DONE]");
    } finally {
      slow.stop(0);
    }
  }

  @Test
  void theRouterAnswersSomeRequestsItself() throws Exception {
    long servedBefore = qwen.served() + llama.served();
    HttpResponse<String> models =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/models"))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(models.body()).contains("\"auto\"").contains(QWEN).contains(LLAMA);

    HttpResponse<String> unknown =
        post("/v1/chat/completions", chat("no-such-model", "hello", false));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(Json.MAPPER.readTree(unknown.body()).at("/error/type").asText())
        .isEqualTo("invalid_request_error");
    assertThat(qwen.served() + llama.served()).as("nothing forwarded").isEqualTo(servedBefore);
  }

  @Test
  void aClientCannotChooseTheBackend() throws Exception {
    HttpResponse<String> hi =
        post(
            "/v1/chat/completions",
            chat("auto", "Hi there, how are you?", false),
            "x-selected-model",
            QWEN);
    assertThat(hi.statusCode()).isEqualTo(200);
    assertThat(hi.headers().firstValue("x-mock-instance")).hasValue("vllm-llama");

    // A path the router does not route: the client's header is removed, the default route applies.
    HttpResponse<String> other =
        post("/v1/embeddings", "{\"input\":\"x\"}", "x-selected-model", QWEN);
    assertThat(other.statusCode()).isEqualTo(404); // the mock echoes paths it does not serve
    JsonNode echo = Json.MAPPER.readTree(other.body());
    assertThat(echo.get("path").asText()).isEqualTo("/v1/embeddings");
    assertThat(echo.get("headers").has("x-selected-model")).isFalse();
    assertThat(echo.get("body").asText()).isEqualTo("{\"input\":\"x\"}");
  }

  @Test
  void failsClosedWhenTheRouterIsNotThere() throws Exception {
    int closedPort = closedPort();
    try (Gateway orphan =
        Gateway.start(
            config,
            Gateway.Settings.defaults(
                new InetSocketAddress("127.0.0.1", 0),
                "127.0.0.1",
                closedPort,
                Map.of(LLAMA, "127.0.0.1:" + llama.port(), QWEN, "127.0.0.1:" + qwen.port())))) {
      long servedBefore = qwen.served() + llama.served();
      HttpResponse<String> r =
          post(orphan.port(), "/v1/chat/completions", chat("auto", "hello", false));
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.headers().firstValue("content-type")).hasValue("text/plain");
      assertThat(qwen.served() + llama.served()).isEqualTo(servedBefore);
    }
  }

  @Test
  void anUnreachableBackendIs503() throws Exception {
    int closedPort = closedPort();
    try (Gateway g =
        Gateway.start(
            config,
            Gateway.Settings.defaults(
                new InetSocketAddress("127.0.0.1", 0),
                "127.0.0.1",
                router.grpcPort(),
                Map.of(LLAMA, "127.0.0.1:" + closedPort, QWEN, "127.0.0.1:" + qwen.port())))) {
      HttpResponse<String> r = post(g.port(), "/v1/chat/completions", chat("auto", "hello", false));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("upstream connect error");
    }
  }

  /** A port nothing listens on (just released). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static RequestSummary recordFor(String id) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      for (RequestSummary r : records) {
        if (id.equals(r.requestId())) {
          return r;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no record for " + id);
  }
}
