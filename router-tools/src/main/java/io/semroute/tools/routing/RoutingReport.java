package io.semroute.tools.routing;

import io.semroute.tools.eval.HtmlReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The routing figures as Markdown-style text (printed, and put in model cards) and as HTML with the
 * curve.
 */
public final class RoutingReport {
  private RoutingReport() {}

  public static String text(
      RoutingEvaluation e,
      List<RoutingEvaluation.CurvePoint> curve,
      RoutingEvaluation.CurvePoint at) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%d prompts%n%n| policy | accuracy | cost per prompt (USD) |%n|---|---|---|%n",
            e.rows()));
    for (RoutingEvaluation.Point p : e.always()) {
      sb.append(row("always " + p.name(), p));
    }
    sb.append(row("oracle", e.oracle()));
    sb.append(
        String.format(
            Locale.ROOT,
            "| **learned, default target %.2f** | **%.4f** | **%.6f** |%n",
            at.target(),
            at.accuracy(),
            at.cost()));
    sb.append(
        String.format(
            Locale.ROOT,
            "%nAt the default target: random sharing between %s (cheapest) and %s (most accurate) at"
                + " equal cost %.4f (%.1f %% to the strong model) -> **gain %+.2f points**; best random mix of any two models at equal"
                + " cost %.4f -> gain %+.2f points.%n%n",
            e.cheapest().name(),
            e.strongest().name(),
            at.randomAccuracy(),
            100 * at.strongShare(),
            100 * at.gain(),
            at.hullAccuracy(),
            100 * at.hullGain()));
    sb.append(
        "| target | accuracy | cost (USD) | random at equal cost | gain | best mix at equal cost | gain |\n|---|---|---|---|---|---|---|\n");
    for (RoutingEvaluation.CurvePoint p : curve) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %.2f | %.4f | %.6f | %.4f | %+.2f | %.4f | %+.2f |%n",
              p.target(),
              p.accuracy(),
              p.cost(),
              p.randomAccuracy(),
              100 * p.gain(),
              p.hullAccuracy(),
              100 * p.hullGain()));
    }
    return sb.toString();
  }

  private static String row(String name, RoutingEvaluation.Point p) {
    return String.format(Locale.ROOT, "| %s | %.4f | %.6f |%n", name, p.accuracy(), p.cost());
  }

  /** Adds the curve plot and the tables to an HTML report. */
  public static void html(
      HtmlReport r,
      String heading,
      RoutingEvaluation e,
      List<RoutingEvaluation.CurvePoint> curve,
      RoutingEvaluation.CurvePoint at) {
    html(r, heading, e, curve, at, null);
  }

  /**
   * @param categoryCurve (cost, accuracy) of the category policy across its target, or null
   */
  public static void html(
      HtmlReport r,
      String heading,
      RoutingEvaluation e,
      List<RoutingEvaluation.CurvePoint> curve,
      RoutingEvaluation.CurvePoint at,
      List<double[]> categoryCurve) {
    List<HtmlReport.Series> series = new ArrayList<>();
    List<double[]> learned = new ArrayList<>();
    List<double[]> random = new ArrayList<>();
    for (RoutingEvaluation.CurvePoint p : curve) {
      learned.add(new double[] {p.cost(), p.accuracy()});
    }
    random.add(new double[] {e.cheapest().cost(), e.cheapest().accuracy()});
    random.add(new double[] {e.strongest().cost(), e.strongest().accuracy()});
    List<double[]> hull = new ArrayList<>();
    for (RoutingEvaluation.Point p : e.hull()) {
      hull.add(new double[] {p.cost(), p.accuracy()});
    }
    series.add(new HtmlReport.Series("learned policy (target 0..1)", "#1f77b4", true, learned));
    series.add(new HtmlReport.Series("random sharing cheapest/strongest", "#7f7f7f", true, random));
    series.add(new HtmlReport.Series("best random mix (hull)", "#bcbd22", true, hull));
    if (categoryCurve != null) {
      series.add(
          new HtmlReport.Series("category policy (target 0..1)", "#9467bd", true, categoryCurve));
    }
    List<double[]> each = new ArrayList<>();
    for (RoutingEvaluation.Point p : e.always()) {
      each.add(new double[] {p.cost(), p.accuracy()});
    }
    series.add(new HtmlReport.Series("always one model", "#d62728", false, each));
    RoutingEvaluation.Point o = e.oracle();
    series.add(
        new HtmlReport.Series(
            "oracle", "#2ca02c", false, List.<double[]>of(new double[] {o.cost(), o.accuracy()})));
    series.add(
        new HtmlReport.Series(
            String.format(Locale.ROOT, "default target %.2f", at.target()),
            "#ff7f0e",
            false,
            List.<double[]>of(new double[] {at.cost(), at.accuracy()})));
    r.plot(heading + ": accuracy against cost per prompt (USD, log scale)", series, true);
    r.markdownTable(text(e, curve, at));
  }
}
