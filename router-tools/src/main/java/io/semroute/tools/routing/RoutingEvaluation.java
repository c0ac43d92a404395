package io.semroute.tools.routing;

import io.semroute.classifier.outcome.CostQualityPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Accuracy against cost on outcome data. A "point" is mean accuracy (score of the chosen model) and
 * mean cost per prompt (USD). Baselines:
 *
 * <ul>
 *   <li>always-each-model;
 *   <li>oracle: per prompt the cheapest model that answered correctly (the cheapest model when none
 *       did);
 *   <li>random sharing at equal cost: sending a random share of prompts to the most accurate model
 *       and the rest to the cheapest one, the share set so the mean cost equals the policy's;
 *   <li>best random mix at equal cost: the same with any two models (the upper hull of the
 *       always-each points), a stricter baseline when a mid-priced model is nearly as good as the
 *       strongest.
 * </ul>
 */
public final class RoutingEvaluation {
  /** Mean accuracy and cost of one way of routing. */
  public record Point(String name, double accuracy, double cost) {}

  /** One knob value of the learned policy, with both equal-cost baselines. */
  public record CurvePoint(
      double target,
      double accuracy,
      double cost,
      double randomAccuracy,
      double hullAccuracy,
      double strongShare) {
    public double gain() {
      return accuracy - randomAccuracy;
    }

    public double hullGain() {
      return accuracy - hullAccuracy;
    }
  }

  private final List<String> models;
  private final double[][] score;
  private final double[][] cost;
  private final List<Point> always = new ArrayList<>();
  private final int cheap;
  private final int strong;

  public RoutingEvaluation(OutcomeData data) {
    this.models = data.models();
    int n = data.rows().size();
    score = new double[n][];
    cost = new double[n][];
    for (int i = 0; i < n; i++) {
      score[i] = data.rows().get(i).score();
      cost[i] = data.rows().get(i).cost();
    }
    for (int m = 0; m < models.size(); m++) {
      double a = 0;
      double c = 0;
      for (int i = 0; i < n; i++) {
        a += score[i][m];
        c += cost[i][m];
      }
      always.add(new Point(models.get(m), a / n, c / n));
    }
    int ch = 0;
    int st = 0;
    for (int m = 1; m < models.size(); m++) {
      if (always.get(m).cost() < always.get(ch).cost()) {
        ch = m;
      }
      Point p = always.get(m);
      Point s = always.get(st);
      if (p.accuracy() > s.accuracy() || (p.accuracy() == s.accuracy() && p.cost() < s.cost())) {
        st = m;
      }
    }
    cheap = ch;
    strong = st;
  }

  public int rows() {
    return score.length;
  }

  public List<Point> always() {
    return always;
  }

  public Point cheapest() {
    return always.get(cheap);
  }

  public Point strongest() {
    return always.get(strong);
  }

  public Point oracle() {
    double a = 0;
    double c = 0;
    for (int i = 0; i < score.length; i++) {
      int pick = -1;
      for (int m = 0; m < models.size(); m++) {
        if (score[i][m] >= 0.5 && (pick < 0 || cost[i][m] < cost[i][pick])) {
          pick = m;
        }
      }
      if (pick < 0) {
        pick = cheap;
      }
      a += score[i][pick];
      c += cost[i][pick];
    }
    return new Point("oracle", a / score.length, c / score.length);
  }

  /** Accuracy and cost when prompt i goes to model {@code choice[i]}. */
  public Point of(String name, int[] choice) {
    double a = 0;
    double c = 0;
    for (int i = 0; i < score.length; i++) {
      a += score[i][choice[i]];
      c += cost[i][choice[i]];
    }
    return new Point(name, a / score.length, c / score.length);
  }

  /** Random sharing between the cheapest and the most accurate model at this mean cost. */
  public double randomAt(double c) {
    Point lo = always.get(cheap);
    Point hi = always.get(strong);
    return interpolate(lo, hi, c);
  }

  /** Share of prompts random sharing sends to the strongest model at this mean cost. */
  public double strongShareAt(double c) {
    Point lo = always.get(cheap);
    Point hi = always.get(strong);
    if (hi.cost() <= lo.cost()) {
      return 1;
    }
    return Math.max(0, Math.min(1, (c - lo.cost()) / (hi.cost() - lo.cost())));
  }

  /**
   * The best random mix of any two models at this mean cost (upper concave hull of always-each).
   */
  public double hullAt(double c) {
    List<Point> hull = hull();
    if (c <= hull.get(0).cost()) {
      return hull.get(0).accuracy();
    }
    for (int k = 1; k < hull.size(); k++) {
      if (c <= hull.get(k).cost()) {
        return interpolate(hull.get(k - 1), hull.get(k), c);
      }
    }
    return hull.get(hull.size() - 1).accuracy();
  }

  /** The always-each points on the upper hull, cheapest first, accuracy rising. */
  public List<Point> hull() {
    List<Point> sorted = new ArrayList<>(always);
    sorted.sort(
        Comparator.comparingDouble(Point::cost)
            .thenComparing(Comparator.comparingDouble(Point::accuracy).reversed()));
    List<Point> h = new ArrayList<>();
    for (Point p : sorted) {
      if (!h.isEmpty() && p.accuracy() <= h.get(h.size() - 1).accuracy()) {
        continue; // costs more, no better
      }
      while (h.size() >= 2) {
        Point a = h.get(h.size() - 2);
        Point b = h.get(h.size() - 1);
        double cross =
            (b.cost() - a.cost()) * (p.accuracy() - a.accuracy())
                - (b.accuracy() - a.accuracy()) * (p.cost() - a.cost());
        if (cross >= 0) {
          h.remove(h.size() - 1); // b lies on or below the segment a-p
        } else {
          break;
        }
      }
      h.add(p);
    }
    return h;
  }

  private static double interpolate(Point lo, Point hi, double c) {
    if (c <= lo.cost()) {
      return lo.accuracy();
    }
    if (c >= hi.cost()) {
      return hi.accuracy();
    }
    double s = (c - lo.cost()) / (hi.cost() - lo.cost());
    return lo.accuracy() + s * (hi.accuracy() - lo.accuracy());
  }

  /**
   * The learned policy at one target: predictions [rows][models], model order ranked by {@code
   * meanCosts}.
   */
  public CurvePoint policy(double[][] success, double[] meanCosts, double target) {
    int[] choice = choices(success, meanCosts, target);
    Point p = of("learned", choice);
    return new CurvePoint(
        target,
        p.accuracy(),
        p.cost(),
        randomAt(p.cost()),
        hullAt(p.cost()),
        strongShareAt(p.cost()));
  }

  public static int[] choices(double[][] success, double[] meanCosts, double target) {
    int[] choice = new int[success.length];
    for (int i = 0; i < success.length; i++) {
      choice[i] = CostQualityPolicy.choose(success[i], meanCosts, target);
    }
    return choice;
  }

  /** The curve over targets 0, step, ..., 1. */
  public List<CurvePoint> curve(double[][] success, double[] meanCosts, double step) {
    List<CurvePoint> out = new ArrayList<>();
    for (int k = 0; k * step <= 1 + 1e-9; k++) {
      out.add(policy(success, meanCosts, Math.min(1, k * step)));
    }
    return out;
  }

  public static String format(Point p) {
    return String.format(
        Locale.ROOT, "%-40s accuracy %.4f  cost $%.6f", p.name(), p.accuracy(), p.cost());
  }
}
