package io.semroute.extproc.api;

import static io.semroute.extproc.api.ApiRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.pipeline.RouterSnapshot;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The route table without a socket: who gets in, and what it answers for what it doesn't know. */
class ApiRoutesTest {
  private static final String TOKEN = "t0ken";
  private static final String AUTH = "Bearer " + TOKEN;

  private final AtomicReference<RouterSnapshot> snapshot =
      new AtomicReference<>(RouterSnapshot.keywordOnly(TestConfigs.sample()));
  private final AtomicReference<HttpApiServer.State> state =
      new AtomicReference<>(HttpApiServer.State.READY);
  private final ApiRoutes routes =
      ApiRoutes.standard(snapshot::get, state::get, null, BearerToken.of(TOKEN));

  private static JsonNode error(ApiResponse r) throws Exception {
    return Json.MAPPER.readTree(r.json()).path("error");
  }

  @Test
  void unknownPathIs404ForACallerWithTheToken() throws Exception {
    ApiResponse r = routes.dispatch(request("GET", "/nope", null, "Authorization", AUTH));
    assertThat(r.status()).isEqualTo(404);
    assertThat(error(r).path("code").asText()).isEqualTo("not_found");
    assertThat(error(r).path("message").asText()).isEqualTo("no such endpoint: GET /nope");
  }

  @Test
  void unknownPathIsGuardedLikeATokenRoute() throws Exception {
    ApiResponse r = routes.dispatch(request("GET", "/nope", null));
    assertThat(r.status()).isEqualTo(401);
    assertThat(error(r).path("code").asText()).isEqualTo("unauthorized");
  }

  @Test
  void wrongMethodOnAKnownPathIs405WithAllow() throws Exception {
    ApiResponse probe = routes.dispatch(request("POST", "/health", "{}"));
    assertThat(probe.status()).isEqualTo(405);
    assertThat(probe.headers()).containsEntry("Allow", "GET");
    assertThat(error(probe).path("code").asText()).isEqualTo("method_not_allowed");
    assertThat(error(probe).path("message").asText()).isEqualTo("use GET");

    ApiResponse classify =
        routes.dispatch(request("GET", "/api/v1/classify/intent", null, "Authorization", AUTH));
    assertThat(classify.status()).isEqualTo(405);
    assertThat(classify.headers()).containsEntry("Allow", "POST");
  }

  @Test
  void tokenRoutesSay401WithoutOrWithAWrongToken() throws Exception {
    for (String auth : new String[] {null, AUTH + "x", TOKEN, "Bearer"}) {
      ApiResponse r =
          auth == null
              ? routes.dispatch(request("GET", "/config", null))
              : routes.dispatch(request("GET", "/config", null, "Authorization", auth));
      assertThat(r.status()).as(auth).isEqualTo(401);
      assertThat(r.headers()).containsEntry("WWW-Authenticate", "Bearer");
      assertThat(error(r).path("code").asText()).isEqualTo("unauthorized");
      assertThat(error(r).path("type").asText()).isEqualTo("invalid_request_error");
    }
    // Without the token, a wrong method is not revealed either.
    assertThat(routes.dispatch(request("GET", "/api/v1/classify/intent", null)).status())
        .isEqualTo(401);
    assertThat(routes.dispatch(request("GET", "/config", null, "Authorization", AUTH)).status())
        .isEqualTo(200);
  }

  @Test
  void probesAndTheModelListAreOpen() throws Exception {
    assertThat(routes.dispatch(request("GET", "/health", null)).body())
        .isEqualTo(new StatusResponse("healthy"));
    assertThat(routes.dispatch(request("GET", "/v1/models", null)).status()).isEqualTo(200);
    ApiResponse ready = routes.dispatch(request("GET", "/ready", null));
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo(new StatusResponse("ready"));
    state.set(HttpApiServer.State.DRAINING);
    ApiResponse draining = routes.dispatch(request("GET", "/ready", null));
    assertThat(draining.status()).isEqualTo(503);
    assertThat(new String(draining.json())).isEqualTo("{\"status\":\"draining\"}");
  }

  @Test
  void onlyTheProbesAndTheModelListAreOpen() {
    assertThat(
            routes.routes().stream()
                .filter(r -> r.auth() == AuthPolicy.OPEN)
                .map(r -> r.method() + " " + r.path()))
        .containsExactly("GET /health", "GET /ready", "GET /v1/models");
    assertThat(routes.routes()).hasSize(9);
  }

  @Test
  void whileLoadingTokenRoutesAndUnknownPathsSay503AndProbesAnswer() throws Exception {
    snapshot.set(null);
    state.set(HttpApiServer.State.STARTING);
    for (String path : new String[] {"/config", "/api/v1/classify/intent", "/nope"}) {
      ApiResponse r =
          routes.dispatch(request("POST", path, "{\"text\":\"x\"}", "Authorization", AUTH));
      assertThat(r.status()).as(path).isEqualTo(503);
      assertThat(error(r).path("code").asText()).isEqualTo("not_ready");
      assertThat(error(r).path("type").asText()).isEqualTo("server_error");
    }
    assertThat(routes.dispatch(request("GET", "/v1/models", null)).status()).isEqualTo(503);
    assertThat(routes.dispatch(request("GET", "/health", null)).status()).isEqualTo(200);
    assertThat(routes.dispatch(request("GET", "/ready", null)).status()).isEqualTo(503);
  }

  @Test
  void anOpenApiLetsEveryoneIn() throws Exception {
    ApiRoutes open = ApiRoutes.standard(snapshot::get, state::get, null, BearerToken.NONE);
    assertThat(open.dispatch(request("GET", "/config", null)).status()).isEqualTo(200);
    assertThat(open.dispatch(request("GET", "/nope", null)).status()).isEqualTo(404);
  }

  @Test
  void aHandlerThatFailsUnexpectedlyIs500AndOneThatRefusesGetsItsError() throws Exception {
    ApiRoutes table =
        new ApiRoutes(
            List.of(
                ApiRoute.get(
                    "/boom",
                    AuthPolicy.OPEN,
                    r -> {
                      throw new IllegalStateException("bug");
                    }),
                ApiRoute.post(
                    "/refuse",
                    AuthPolicy.OPEN,
                    r -> {
                      throw new ApiError(409, "not now", "field", "conflict");
                    })),
            BearerToken.NONE,
            snapshot::get);
    ApiResponse boom = table.dispatch(request("GET", "/boom", null));
    assertThat(boom.status()).isEqualTo(500);
    assertThat(error(boom).path("code").asText()).isEqualTo("internal");
    assertThat(error(boom).path("message").asText()).doesNotContain("bug");
    ApiResponse refused = table.dispatch(request("POST", "/refuse", null));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(error(refused).path("param").asText()).isEqualTo("field");
  }

  @Test
  void aPathWithTwoMethodsListsBothInAllow() throws Exception {
    ApiHandler ok = r -> ApiResponse.ok(new StatusResponse("ok"));
    ApiRoutes table =
        new ApiRoutes(
            List.of(
                ApiRoute.get("/x", AuthPolicy.OPEN, ok), ApiRoute.post("/x", AuthPolicy.OPEN, ok)),
            BearerToken.NONE,
            snapshot::get);
    ApiResponse r = table.dispatch(request("DELETE", "/x", null));
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.headers()).containsEntry("Allow", "GET, POST");
  }

  @Test
  void twoRoutesForOneMethodAndPathAreRefused() {
    ApiHandler ok = r -> ApiResponse.ok(new StatusResponse("ok"));
    assertThatThrownBy(
            () ->
                new ApiRoutes(
                    List.of(
                        ApiRoute.get("/x", AuthPolicy.OPEN, ok),
                        ApiRoute.get("/x", AuthPolicy.BEARER_TOKEN, ok)),
                    BearerToken.NONE,
                    snapshot::get))
        .hasMessageContaining("GET /x");
  }

  @Test
  void badBodiesGetJsonErrors() throws Exception {
    String[][] cases = {
      {"{not json", "400", "invalid_json"},
      {"", "400", "invalid_json"},
      {"[1]", "400", "invalid_json"},
      {"{\"text\": 5}", "400", "invalid_text"},
      {"{\"text\":\"" + "a".repeat(ApiRequest.MAX_BODY_BYTES) + "\"}", "413", "body_too_large"},
    };
    for (String[] c : cases) {
      ApiResponse r =
          routes.dispatch(request("POST", "/api/v1/classify/intent", c[0], "Authorization", AUTH));
      assertThat(r.status()).as(c[2]).isEqualTo(Integer.parseInt(c[1]));
      assertThat(error(r).path("code").asText()).isEqualTo(c[2]);
    }
    ApiResponse declaredTooLarge =
        routes.dispatch(
            request(
                "POST",
                "/api/v1/classify/intent",
                "{}",
                "Authorization",
                AUTH,
                "Content-Length",
                String.valueOf(ApiRequest.MAX_BODY_BYTES + 1)));
    assertThat(declaredTooLarge.status()).isEqualTo(413);
  }
}
