package io.semroute.extproc.classifiers;

import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.classifier.batch.SharedHead;
import io.semroute.classifier.outcome.CostQualityPolicy;
import io.semroute.classifier.outcome.OutcomeModel;
import io.semroute.extproc.decision.ClassificationFailedException;
import io.semroute.extproc.decision.SuccessPredictor;
import io.semroute.extproc.metrics.RouterMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An outcomes folder ({@code signals.outcomes.model}) as the decision engine's {@link
 * SuccessPredictor}, behind its micro-batcher like every other loaded classifier (bounded queue,
 * per-request deadline, concurrent requests share encoder passes).
 */
public final class LoadedOutcomeModel implements LoadedClassifier, SuccessPredictor {
  private final OutcomeModel model;
  private final double[] costs;
  private final HeadLane<double[]> lane;

  LoadedOutcomeModel(String name, OutcomeModel model, EncoderPasses passes) {
    this.model = model;
    this.costs = model.meanCosts();
    this.lane = passes.lane(name, new SharedHead<>(name, model.encoder(), model::predict));
  }

  /** An outcome model with a micro-batcher of its own. */
  public LoadedOutcomeModel(String name, OutcomeModel model, BatchPolicy policy) {
    this(name, model, new EncoderPasses(policy));
  }

  @Override
  public void observe(RouterMetrics metrics, String role) {
    lane.observe(LoadedClassifier.observer(metrics, role));
  }

  @Override
  public Map<String, Double> predict(String text) {
    double[] p;
    try {
      p = lane.submit(text).join();
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
        throw new IllegalArgumentException(
            "'" + c + "' is not in the outcome pool " + model.models());
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
    lane.close(model::close);
  }
}
