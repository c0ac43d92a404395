package io.semroute.tools.routing;

import io.semroute.classifier.outcome.CostQualityPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The category-routing baseline on outcome data: prompts are put in domains by a category model;
 * per domain, each model's success rate on the training rows of that domain (the whole training
 * part's rate for domains with fewer than {@link #MIN_ROWS} rows). At a target, a prompt goes to
 * the cheapest model whose domain success rate reaches it, else the domain's best: the same policy
 * as the learned one, with a per-domain table in place of a per-prompt prediction.
 */
public final class CategoryPolicy {
  static final int MIN_ROWS = 5;

  private final Map<String, double[]> table = new HashMap<>();
  private final double[] overall;

  public CategoryPolicy(OutcomeData train, List<String> trainDomains) {
    int models = train.models().size();
    overall = new double[models];
    Map<String, double[]> sums = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < train.rows().size(); i++) {
      double[] s = train.rows().get(i).score();
      double[] sum = sums.computeIfAbsent(trainDomains.get(i), k -> new double[models]);
      for (int m = 0; m < models; m++) {
        sum[m] += s[m];
        overall[m] += s[m] / train.rows().size();
      }
      counts.merge(trainDomains.get(i), 1, Integer::sum);
    }
    sums.forEach(
        (d, sum) -> {
          int n = counts.get(d);
          if (n >= MIN_ROWS) {
            double[] acc = new double[models];
            for (int m = 0; m < models; m++) {
              acc[m] = sum[m] / n;
            }
            table.put(d, acc);
          }
        });
  }

  /** Success rates the policy assumes for a prompt of this domain. */
  public double[] rates(String domain) {
    return table.getOrDefault(domain, overall);
  }

  public int[] choices(List<String> domains, double[] meanCosts, double target) {
    int[] out = new int[domains.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = CostQualityPolicy.choose(rates(domains.get(i)), meanCosts, target);
    }
    return out;
  }

  public int domains() {
    return table.size();
  }
}
