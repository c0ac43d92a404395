package io.semroute.extproc.decision;

import io.semroute.config.Condition;
import io.semroute.config.Decision;
import io.semroute.config.RouterConfig;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks, when the task-type model is put in service, that every {@code task_type:} a decision
 * names is one of the model's labels (a misspelt type would silently never match); an unknown one
 * is a config error at the decision.
 */
public final class TaskTypeLabels {
  private TaskTypeLabels() {}

  public static void check(RouterConfig cfg, List<String> labels) {
    for (Decision d : cfg.decisions().decisions()) {
      Set<String> named = new TreeSet<>();
      collect(d.when(), named);
      named.removeAll(labels);
      if (!named.isEmpty()) {
        throw d.at()
            .error(
                "task_type "
                    + named
                    + " is not a label of the task-type model "
                    + cfg.decisions().taskTypeModel().dir()
                    + "; its labels: "
                    + String.join(", ", labels));
      }
    }
  }

  private static void collect(Condition c, Set<String> out) {
    if (c instanceof Condition.TaskTypeIn t) {
      out.addAll(t.names());
    } else if (c instanceof Condition.Group g) {
      g.of().forEach(x -> collect(x, out));
    } else if (c instanceof Condition.Not n) {
      collect(n.of(), out);
    }
  }
}
