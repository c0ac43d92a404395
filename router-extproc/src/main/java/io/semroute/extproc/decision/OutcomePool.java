package io.semroute.extproc.decision;

import io.semroute.config.RouterConfig;
import java.util.List;
import java.util.Map;

/**
 * Checks, when the outcomes folder is put in service, that every {@code signals.outcomes.models}
 * entry names a model of its pool; a mismatch is a config error at {@code signals.outcomes.model}.
 */
public final class OutcomePool {
  private OutcomePool() {}

  public static void check(RouterConfig cfg, List<String> pool) {
    for (Map.Entry<String, String> e : cfg.decisions().outcomeModels().entrySet()) {
      if (!pool.contains(e.getValue())) {
        throw cfg.decisions()
            .outcomesModel()
            .error(
                "signals.outcomes.models maps '"
                    + e.getKey()
                    + "' to '"
                    + e.getValue()
                    + "', which the outcomes folder does not predict; its models: "
                    + String.join(", ", pool));
      }
    }
  }
}
