package io.semroute.extproc.api;

import io.semroute.config.RouterConfig;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierInfo;
import io.semroute.extproc.limits.BreakerSnapshot;
import io.semroute.extproc.limits.BreakerState;
import io.semroute.extproc.limits.CircuitBreakers;
import io.semroute.extproc.openai.ModelList;
import io.semroute.extproc.pipeline.RouterSnapshot;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** The probes and what the router knows about its config: models, classifiers, settings. */
final class InfoHandlers {
  private final Supplier<RouterSnapshot> snapshots;
  private final Supplier<HttpApiServer.State> state;
  private final ClassifierCache classifiers;

  /**
   * @param snapshots the current snapshot, null while starting
   * @param classifiers the open classifiers, or null
   */
  InfoHandlers(
      Supplier<RouterSnapshot> snapshots,
      Supplier<HttpApiServer.State> state,
      ClassifierCache classifiers) {
    this.snapshots = snapshots;
    this.state = state;
    this.classifiers = classifiers;
  }

  /** The process answers. */
  ApiResponse health(ApiRequest request) {
    return ApiResponse.ok(new StatusResponse("healthy"));
  }

  /** 200 only when the models are loaded and gRPC is serving; 503 while starting and draining. */
  ApiResponse ready(ApiRequest request) {
    HttpApiServer.State s = state.get();
    return ApiResponse.of(
        s == HttpApiServer.State.READY ? 200 : 503,
        new StatusResponse(s.name().toLowerCase(Locale.ROOT)));
  }

  /** The client-facing model list, in the shape the ext_proc path serves. */
  ApiResponse models(ApiRequest request) {
    RouterSnapshot snap = snapshots.get();
    if (snap == null) {
      throw ApiError.notReady();
    }
    return ApiResponse.ok(ModelList.body(snap.config(), System.currentTimeMillis() / 1000));
  }

  ApiResponse modelsInfo(ApiRequest request) {
    RouterConfig cfg = snapshots.get().config();
    CircuitBreakers breakers = snapshots.get().limits().breakers();
    Map<String, BreakerSnapshot> states = new HashMap<>();
    breakers.snapshot().forEach(b -> states.put(b.model(), b));
    return ApiResponse.ok(
        new ModelsInfoResponse(
            ClassifierInfo.describe(classifiers, cfg),
            cfg.models().values().stream()
                .map(
                    m ->
                        new ModelsInfoResponse.Model(
                            m.name(),
                            m.reasoningFamily(),
                            cfg.backendsFor(m.name()).stream().map(b -> b.name()).toList(),
                            breakers.enabled()
                                ? ModelsInfoResponse.Breaker.of(
                                    states.getOrDefault(
                                        m.name(),
                                        new BreakerSnapshot(
                                            m.name(), BreakerState.CLOSED, 0, 0, 0)))
                                : null))
                .toList(),
            cfg.defaultModel(),
            cfg.categories().stream().map(c -> c.name()).toList()));
  }

  /** The effective config with secrets masked. */
  ApiResponse config(ApiRequest request) {
    return ApiResponse.ok(EffectiveConfig.masked(snapshots.get().config()));
  }
}
