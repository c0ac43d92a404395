package io.semroute.extproc.ops;

import static io.semroute.extproc.ops.OpsFixtures.http;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.api.HttpApiServer;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.server.RouterServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API of a served keyword-only router with a bearer token: probes open, everything else
 * behind the token; JSON 4xx errors; size limit; {@code /config} without secrets.
 */
class HttpApiEndToEndTest {
  private static final String TOKEN = "s3cret-token-value";
  @TempDir static Path dir;
  private static RouterServer router;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        OpsFixtures.keywordConfig(
            "api_token_env: ROUTER_TEST_TOKEN",
            "tracing: {enabled: false, otlp_endpoint: 'http://user:hunter2@collector:4318/v1/traces'}"));
    router =
        RouterServer.start(
            config,
            r -> {},
            new RouterServer.Options(
                RouterServer.DEFAULT_DRAIN_DEADLINE,
                Duration.ofSeconds(10),
                Map.of("ROUTER_TEST_TOKEN", TOKEN)::get,
                () -> {}));
    base = "http://127.0.0.1:" + router.httpPort();
  }

  @AfterAll
  static void stop() {
    if (router != null) {
      router.close();
    }
  }

  private static HttpResponse<String> get(String path, boolean withToken) throws Exception {
    return withToken
        ? http("GET", base + path, null, "Authorization", "Bearer " + TOKEN)
        : http("GET", base + path, null);
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return http(
        "POST",
        base + path,
        body,
        "Authorization",
        "Bearer " + TOKEN,
        "content-type",
        "application/json");
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void probesAndTheModelListAreOpenWithoutTheToken() throws Exception {
    assertThat(get("/health", false).statusCode()).isEqualTo(200);
    assertThat(get("/v1/models", false).statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get("/ready", false);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready).path("status").asText()).isEqualTo("ready");
  }

  @Test
  void everythingElseNeedsTheToken() throws Exception {
    for (String path : new String[] {"/info/models", "/config"}) {
      HttpResponse<String> r = get(path, false);
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(json(r).path("error").path("code").asText()).isEqualTo("unauthorized");
    }
    HttpResponse<String> wrong =
        http("GET", base + "/config", null, "Authorization", "Bearer " + TOKEN + "x");
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<String> classify =
        http("POST", base + "/api/v1/classify/intent", "{\"text\":\"hi\"}");
    assertThat(classify.statusCode()).isEqualTo(401);
    assertThat(get("/config", true).statusCode()).isEqualTo(200);
  }

  @Test
  void modelsInfoAndConfigWithoutSecrets() throws Exception {
    JsonNode models = json(get("/v1/models", true));
    assertThat(models.path("data").toString())
        .contains("\"auto\"", "qwen3-8b", "llama-3.1-8b-instruct");
    JsonNode info = json(get("/info/models", true));
    assertThat(info.path("default_model").asText()).isEqualTo("llama-3.1-8b-instruct");
    assertThat(info.path("classifiers").isArray()).isTrue();
    HttpResponse<String> config = get("/config", true);
    assertThat(config.statusCode()).isEqualTo(200);
    JsonNode cfg = json(config);
    assertThat(cfg.path("default_model").asText()).isEqualTo("llama-3.1-8b-instruct");
    assertThat(cfg.path("operations").path("api_token_env").asText())
        .isEqualTo("ROUTER_TEST_TOKEN");
    assertThat(config.body()).doesNotContain(TOKEN, "hunter2").contains("***@collector");
  }

  @Test
  void classifiesIntentWithTheReferenceShape() throws Exception {
    HttpResponse<String> r =
        post(
            "/api/v1/classify/intent",
            "{\"text\":\"What is the integral of x?\",\"options\":{\"return_probabilities\":true}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode o = json(r);
    assertThat(o.path("classification").path("category").asText()).isEqualTo("math");
    assertThat(o.path("classification").path("confidence").asDouble()).isEqualTo(0.95);
    assertThat(o.path("classification").has("processing_time_ms")).isTrue();
    assertThat(o.path("probabilities").path("math").asDouble()).isEqualTo(0.95);
    assertThat(o.path("recommended_model").asText()).isEqualTo("qwen3-8b");
    assertThat(o.path("routing_decision").asText()).isEqualTo("category");
    assertThat(o.path("use_reasoning").asBoolean()).isTrue();

    JsonNode batch =
        json(
            post(
                "/api/v1/classify/batch",
                "{\"texts\":[\"photosynthesis in plants\",\"hello\"],\"task_type\":\"intent\"}"));
    assertThat(batch.path("total_count").asInt()).isEqualTo(2);
    assertThat(batch.path("results").get(0).path("recommended_model").asText())
        .isEqualTo("llama-3.1-8b-instruct");
    assertThat(batch.path("results").get(0).path("classification").path("category").asText())
        .isEqualTo("biology");
    assertThat(batch.path("results").get(1).path("routing_decision").asText()).isEqualTo("default");
  }

  @Test
  void badRequestsGetJsonErrors() throws Exception {
    assertError(post("/api/v1/classify/intent", "{not json"), 400, "invalid_json");
    assertError(post("/api/v1/classify/intent", "{\"text\": 5}"), 400, "invalid_text");
    assertError(post("/api/v1/classify/intent", ""), 400, "invalid_json");
    assertError(post("/api/v1/classify/batch", "{\"texts\": []}"), 400, "invalid_texts");
    assertError(
        post("/api/v1/classify/batch", "{\"texts\": [\"a\"], \"task_type\": \"weather\"}"),
        400,
        "invalid_task_type");
    assertError(
        post("/api/v1/classify/pii", "{\"text\": \"my mail is a@b.co\"}"),
        409,
        "classifier_disabled");
    assertError(get("/api/v1/classify/intent", true), 405, "method_not_allowed");
    assertError(get("/nope", true), 404, "not_found");
    String huge = "{\"text\":\"" + "a".repeat(HttpApiServer.MAX_BODY_BYTES) + "\"}";
    assertError(post("/api/v1/classify/intent", huge), 413, "body_too_large");
  }

  private static void assertError(HttpResponse<String> r, int status, String code)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode e = json(r).path("error");
    assertThat(e.path("code").asText()).isEqualTo(code);
    assertThat(e.path("message").asText()).isNotEmpty();
  }
}
