package io.semroute.extproc.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.pipeline.RouterSnapshot;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;

/** The route table behind a real socket: statuses, headers and bodies arrive as the table says. */
class HttpApiServerTest {
  @Test
  void answersOverHttpWithTheTablesStatusesAndHeaders() throws Exception {
    RouterSnapshot snapshot = RouterSnapshot.keywordOnly(TestConfigs.sample());
    HttpClient client = HttpClient.newHttpClient();
    try (HttpApiServer api =
        new HttpApiServer(
                new InetSocketAddress("127.0.0.1", 0),
                () -> snapshot,
                () -> HttpApiServer.State.READY,
                null,
                "s3cret")
            .start()) {
      String base = "http://127.0.0.1:" + api.port();

      HttpResponse<String> health =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/health")).build(),
              BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(health.body()).isEqualTo("{\"status\":\"healthy\"}");

      HttpResponse<String> wrongMethod =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/health"))
                  .POST(BodyPublishers.ofString("{}"))
                  .build(),
              BodyHandlers.ofString());
      assertThat(wrongMethod.statusCode()).isEqualTo(405);
      assertThat(wrongMethod.headers().firstValue("allow")).hasValue("GET");

      HttpResponse<String> noToken =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/classify/intent"))
                  .POST(BodyPublishers.ofString("{\"text\":\"integral of x\"}"))
                  .build(),
              BodyHandlers.ofString());
      assertThat(noToken.statusCode()).isEqualTo(401);
      assertThat(noToken.headers().firstValue("www-authenticate")).hasValue("Bearer");

      HttpResponse<String> intent =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/classify/intent"))
                  .header("Authorization", "Bearer s3cret")
                  .POST(BodyPublishers.ofString("{\"text\":\"integral of x\"}"))
                  .build(),
              BodyHandlers.ofString());
      assertThat(intent.statusCode()).as(intent.body()).isEqualTo(200);
      assertThat(
              Json.MAPPER.readTree(intent.body()).path("classification").path("category").asText())
          .isEqualTo("math");
    }
  }
}
