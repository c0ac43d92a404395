package io.semroute.extproc.pipeline;

import io.semroute.config.RouterConfig;
import io.semroute.extproc.cache.SemanticCache;
import io.semroute.extproc.decision.DecisionEngine;
import io.semroute.extproc.guard.RequestGuards;
import io.semroute.extproc.limits.FleetLimits;

/**
 * Everything one config version needs at request time, built together (classifiers opened, guards
 * set up) and swapped together on a reload by {@link RouterSnapshots}. A request takes the current
 * snapshot when its stream opens and uses it to the end, so it sees one config.
 *
 * @param config the config this snapshot was built from
 * @param decision where {@code auto} requests go
 * @param guards the jailbreak / PII checks ({@link RequestGuards#NONE} when off)
 * @param cache the semantic cache ({@link SemanticCache#OFF} when off)
 * @param limits rate limits, model limits, circuit breakers, fallback ({@link FleetLimits#OFF} when
 *     off)
 */
public record RouterSnapshot(
    RouterConfig config,
    DecisionEngine decision,
    RequestGuards guards,
    SemanticCache cache,
    FleetLimits limits) {

  /** Without limits. */
  public RouterSnapshot(
      RouterConfig config, DecisionEngine decision, RequestGuards guards, SemanticCache cache) {
    this(config, decision, guards, cache, FleetLimits.OFF);
  }

  /** Without a semantic cache. */
  public RouterSnapshot(RouterConfig config, DecisionEngine decision, RequestGuards guards) {
    this(config, decision, guards, SemanticCache.OFF);
  }

  /** Keyword rules only, no guards: nothing to load. */
  public static RouterSnapshot keywordOnly(RouterConfig config) {
    return new RouterSnapshot(config, DecisionEngine.keywordOnly(config), RequestGuards.NONE);
  }
}
