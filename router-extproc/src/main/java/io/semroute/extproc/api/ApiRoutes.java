package io.semroute.extproc.api;

import static io.semroute.extproc.api.AuthPolicy.BEARER_TOKEN;
import static io.semroute.extproc.api.AuthPolicy.OPEN;

import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.openai.OpenAiErrors;
import io.semroute.extproc.pipeline.RouterSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's route table: which handler answers a method and path, and who may call it. The table,
 * not the handlers, answers 401 (no or wrong token), 404 (unknown path) and 405 (known path, other
 * method, with {@code Allow}).
 *
 * <p>The order of the checks: a path the table does not know is guarded like a token route, so a
 * caller without the token cannot find out which paths exist; a token route (or unknown path) says
 * 401 without the token, then 503 while the router loads, and only then 404 or 405. Open routes
 * check the method first.
 */
final class ApiRoutes {
  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

  private final Map<String, List<ApiRoute>> byPath;
  private final BearerToken token;
  private final Supplier<RouterSnapshot> snapshots;

  /**
   * @param snapshots the current snapshot, null while the router loads
   */
  ApiRoutes(List<ApiRoute> routes, BearerToken token, Supplier<RouterSnapshot> snapshots) {
    Map<String, List<ApiRoute>> paths = new LinkedHashMap<>();
    for (ApiRoute r : routes) {
      List<ApiRoute> onPath = paths.computeIfAbsent(r.path(), p -> new ArrayList<>());
      if (onPath.stream().anyMatch(o -> o.method().equals(r.method()))) {
        throw new IllegalArgumentException("two routes for " + r.method() + " " + r.path());
      }
      onPath.add(r);
    }
    paths.replaceAll((p, rs) -> List.copyOf(rs));
    this.byPath = Collections.unmodifiableMap(paths);
    this.token = token;
    this.snapshots = snapshots;
  }

  /** This router's API. */
  static ApiRoutes standard(
      Supplier<RouterSnapshot> snapshots,
      Supplier<HttpApiServer.State> state,
      ClassifierCache classifiers,
      BearerToken token) {
    InfoHandlers info = new InfoHandlers(snapshots, state, classifiers);
    ClassifyHandlers classify = new ClassifyHandlers(snapshots);
    return new ApiRoutes(
        List.of(
            ApiRoute.get("/health", OPEN, info::health),
            ApiRoute.get("/ready", OPEN, info::ready),
            ApiRoute.get("/v1/models", OPEN, info::models),
            ApiRoute.get("/info/models", BEARER_TOKEN, info::modelsInfo),
            ApiRoute.get("/config", BEARER_TOKEN, info::config),
            ApiRoute.post("/api/v1/classify/intent", BEARER_TOKEN, classify::intent),
            ApiRoute.post("/api/v1/classify/pii", BEARER_TOKEN, classify::pii),
            ApiRoute.post("/api/v1/classify/security", BEARER_TOKEN, classify::security),
            ApiRoute.post("/api/v1/classify/batch", BEARER_TOKEN, classify::batch)),
        token,
        snapshots);
  }

  /** Every route, grouped by path in table order. */
  List<ApiRoute> routes() {
    return byPath.values().stream().flatMap(List::stream).toList();
  }

  /**
   * The answer to a request: the handler's, or the error it or the table raised (a handler's
   * unexpected failure is logged and answered 500).
   *
   * @throws IOException when the request body cannot be read
   */
  ApiResponse dispatch(ApiRequest request) throws IOException {
    try {
      return find(request).handler().handle(request);
    } catch (ApiError e) {
      return e.response();
    } catch (RuntimeException e) {
      log.error("HTTP API {} {} failed", request.method(), request.path(), e);
      return ApiResponse.of(
          500, OpenAiErrors.body("internal error", "server_error", null, "internal"));
    }
  }

  private ApiRoute find(ApiRequest request) {
    List<ApiRoute> onPath = byPath.getOrDefault(request.path(), List.of());
    if (onPath.isEmpty() || onPath.stream().anyMatch(r -> r.auth() == BEARER_TOKEN)) {
      if (!token.admits(request.header("Authorization"))) {
        throw new ApiError(
            401,
            "missing or wrong bearer token",
            null,
            "unauthorized",
            Map.of("WWW-Authenticate", "Bearer"));
      }
      if (snapshots.get() == null) {
        throw ApiError.notReady();
      }
    }
    for (ApiRoute r : onPath) {
      if (r.method().equals(request.method())) {
        return r;
      }
    }
    if (onPath.isEmpty()) {
      throw new ApiError(
          404, "no such endpoint: " + request.method() + " " + request.path(), null, "not_found");
    }
    String allowed = onPath.stream().map(ApiRoute::method).collect(Collectors.joining(", "));
    throw new ApiError(405, "use " + allowed, null, "method_not_allowed", Map.of("Allow", allowed));
  }
}
