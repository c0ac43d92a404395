package io.semroute.extproc.classifiers;

import io.semroute.classifier.outcome.CostQualityPolicy;
import io.semroute.classifier.outcome.OutcomeModel;
import io.semroute.extproc.decision.ClassificationFailedException;
import io.semroute.extproc.decision.SuccessPredictor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An outcomes folder ({@code signals.outcomes.model}) as the decision engine's
 * {@link SuccessPredictor}. One encoder pass per request on the calling thread, serialised (no
 * micro-batcher yet: the performance issue puts the heads on one shared encoder pass).
 */
public final class LoadedOutcomeModel implements LoadedClassifier, SuccessPredictor {
  private final OutcomeModel model;
  private final double[] costs;

  public LoadedOutcomeModel(OutcomeModel model) {
    this.model = model;
    this.costs = model.meanCosts();
  }

  @Override
  public synchronized Map<String, Double> predict(String text) {
    double[] p;
    try {
      p = model.predict(List.of(text)).get(0);
    } catch (RuntimeException e) {
      throw new ClassificationFailedException("outcome model", e);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < p.length; i++) {
      out.put(model.models().get(i), p[i]);
    }
    return out;
  }

  @Override
  public String choose(Map<String, Double> success, List<String> candidates, double target) {
    double[] p = new double[costs.length];
    List<Integer> idx = new ArrayList<>();
    for (String c : candidates) {
      int i = model.models().indexOf(c);
      if (i < 0) {
        throw new IllegalArgumentException("'" + c + "' is not in the outcome pool " + model.models());
      }
      p[i] = success.getOrDefault(c, 0.0);
      idx.add(i);
    }
    return model.models().get(CostQualityPolicy.choose(p, costs, idx, target));
  }

  @Override
  public double defaultTarget() {
    return model.target();
  }

  @Override
  public List<String> models() {
    return model.models();
  }

  @Override
  public void close() {
    model.close();
  }
}
