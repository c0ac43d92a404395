package io.semroute.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code signals:} and {@code decisions:} sections.
 *
 * @param taskTypeModel sequence classifier folder whose labels are task types, or null
 * @param outcomesModel outcomes folder ({@code train --task outcomes}), or null
 * @param outcomeModels configured model name -> the outcome pool's model whose predictions stand
 *     for it
 * @param decisions in order; first match wins
 */
public record DecisionSettings(
    ModelPath taskTypeModel,
    ModelPath outcomesModel,
    Map<String, String> outcomeModels,
    List<Decision> decisions) {

  public static final DecisionSettings NONE = new DecisionSettings(null, null, Map.of(), List.of());

  public DecisionSettings {
    outcomeModels = Collections.unmodifiableMap(new LinkedHashMap<>(outcomeModels));
    decisions = List.copyOf(decisions);
  }

  public boolean needsTaskType() {
    return decisions.stream().anyMatch(d -> d.when().needsTaskType());
  }

  public boolean needsSuccess() {
    return decisions.stream().anyMatch(d -> d.when().needsSuccess() || !d.candidates().isEmpty());
  }
}
