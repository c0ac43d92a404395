package io.semroute.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.outcome.OutcomeModel;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.tools.data.DataException;
import io.semroute.tools.data.Jsonl;
import io.semroute.tools.eval.HtmlReport;
import io.semroute.tools.routing.CategoryPolicy;
import io.semroute.tools.routing.OutcomeData;
import io.semroute.tools.routing.OutcomeRow;
import io.semroute.tools.routing.OutcomeTraining;
import io.semroute.tools.routing.PromptSplit;
import io.semroute.tools.routing.RoutingEvaluation;
import io.semroute.tools.routing.RoutingReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code eval --task routing --data FILE --model DIR}: accuracy and cost on outcome data of
 * always-each-model, the oracle, the folder's learned policy across its knob and at its default,
 * random sharing at equal cost and the gain over it; optionally leave-one-task-out.
 */
final class RoutingEval {
  private RoutingEval() {}

  static int run(
      Path data,
      Path model,
      Path prices,
      int outputTokens,
      String part,
      boolean loto,
      Path cacheDir,
      Path html,
      Path categoryModel,
      Path taskModel)
      throws IOException {
    if (model == null) {
      System.err.println(
          "eval: --task routing needs --model DIR (an outcomes folder from train --task outcomes)");
      return 2;
    }
    if (!OutcomeModel.isOutcomeFolder(model)) {
      System.err.println(
          "eval: "
              + model
              + " is not an outcomes folder (config.json architecture "
              + OutcomeModel.ARCHITECTURE
              + ")");
      return 2;
    }
    JsonNode cfg = Jsonl.MAPPER.readTree(model.resolve("config.json").toFile());
    OutcomeModel folder = OutcomeModel.open(model, LoadOptions.DEFAULT, false);
    OutcomeData all = reorder(OutcomeData.read(data, prices, outputTokens), folder.models(), data);
    OutcomeData rows = all;
    if (!part.equals("all")) {
      PromptSplit.Part p;
      try {
        p = PromptSplit.Part.valueOf(part);
      } catch (IllegalArgumentException e) {
        System.err.println("eval: --part is all, train, dev or test");
        return 2;
      }
      rows = all.part(split(cfg), p);
    }
    System.out.printf(
        "routing eval: %s on %s (%s, %d prompts)%n%n", model, data, part, rows.rows().size());
    float[][] x = OutcomeTraining.features(rows.prompts(), folder.maxTokens(), cacheDir, "eval");
    double[][] p = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      p[i] = folder.head().predict(x[i]);
    }
    double[] meanCosts = folder.meanCosts();
    RoutingEvaluation e = new RoutingEvaluation(rows);
    RoutingEvaluation.CurvePoint at = e.policy(p, meanCosts, folder.target());
    System.out.println(RoutingReport.text(e, e.curve(p, meanCosts, 0.05), at));
    String categoryText = null;
    List<double[]> categoryCurve = null;
    if (categoryModel != null) {
      OutcomeData fitOn = part.equals("all") ? all : all.part(split(cfg), PromptSplit.Part.train);
      List<String> fitDomains = domains(categoryModel, fitOn.prompts());
      List<String> evalDomains = domains(categoryModel, rows.prompts());
      CategoryPolicy cp = new CategoryPolicy(fitOn, fitDomains);
      StringBuilder sb =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "Category policy (%s; per-domain success rates from %s, %d domains with >= 5 rows): the cheapest model whose"
                      + " domain rate reaches the target%n%n| target | accuracy | cost (USD) | random at equal cost | gain | best mix | gain |%n"
                      + "|---|---|---|---|---|---|---|%n",
                  categoryModel.getFileName(),
                  part.equals("all") ? "the same rows (in-sample)" : "the train part",
                  cp.domains()));
      categoryCurve = new ArrayList<>();
      for (int k = 0; k <= 20; k++) {
        double t = k * 0.05;
        RoutingEvaluation.Point q = e.of("category", cp.choices(evalDomains, meanCosts, t));
        categoryCurve.add(new double[] {q.cost(), q.accuracy()});
        sb.append(
            String.format(
                Locale.ROOT,
                "| %.2f | %.4f | %.6f | %.4f | %+.2f | %.4f | %+.2f |%n",
                t,
                q.accuracy(),
                q.cost(),
                e.randomAt(q.cost()),
                100 * (q.accuracy() - e.randomAt(q.cost())),
                e.hullAt(q.cost()),
                100 * (q.accuracy() - e.hullAt(q.cost()))));
      }
      categoryText = sb.toString();
      System.out.println(categoryText);
    }
    HtmlReport report =
        html == null
            ? null
            : new HtmlReport("routing eval: " + model.getFileName())
                .fact("model", model.toString())
                .fact("data", data + " (" + part + ", " + rows.rows().size() + " prompts)");
    if (report != null) {
      RoutingReport.html(
          report,
          "split by prompt (" + part + ")",
          e,
          e.curve(p, meanCosts, 0.02),
          at,
          categoryCurve);
      if (categoryText != null) {
        report.markdownTable(categoryText);
      }
    }
    if (loto) {
      OutcomeData withTasks = all;
      if (taskModel != null) {
        // rows without a task field (LLMRouter's) take the task-type model's label as their task
        List<String> labels = domains(taskModel, all.prompts());
        List<OutcomeRow> relabelled = new ArrayList<>();
        for (int i = 0; i < all.rows().size(); i++) {
          OutcomeRow r = all.rows().get(i);
          relabelled.add(
              r.task().isEmpty()
                  ? new OutcomeRow(r.id(), labels.get(i), r.prompt(), r.score(), r.cost())
                  : r);
        }
        withTasks = new OutcomeData(all.models(), relabelled);
      }
      String text = leaveOneTaskOut(withTasks, cfg, folder, cacheDir);
      System.out.println(text);
      if (report != null) {
        report.markdownTable(
            "Leave one task out (refit without the task, evaluated on all its rows)\n\n" + text);
      }
    }
    if (report != null) {
      report.write(html);
      System.out.println("wrote " + html);
    }
    return 0;
  }

  /** A sequence classifier's label per prompt (the category model, or the task-type model). */
  private static List<String> domains(Path categoryModel, List<String> prompts) {
    List<String> out = new ArrayList<>();
    try (SequenceClassifier c =
        ClassifierRegistry.openSequence(categoryModel, LoadOptions.DEFAULT)) {
      for (int i = 0; i < prompts.size(); i += 32) {
        c.classify(prompts.subList(i, Math.min(prompts.size(), i + 32)))
            .forEach(r -> out.add(r.label()));
        if (i % 640 == 0) {
          System.out.printf(
              "%s: %d / %d prompts%n", categoryModel.getFileName(), i, prompts.size());
        }
      }
    }
    return out;
  }

  private static PromptSplit split(JsonNode cfg) {
    JsonNode s = cfg.path("split");
    if (s.isMissingNode()) {
      throw new DataException("the model folder's config.json has no split; use --part all");
    }
    return new PromptSplit(
        s.path("seed").asLong(),
        s.path("dev_fraction").asDouble(),
        s.path("test_fraction").asDouble());
  }

  /** The data's columns in the folder's model order; every pool model must be scored. */
  static OutcomeData reorder(OutcomeData d, List<String> models, Path file) {
    int[] at = new int[models.size()];
    List<String> missing = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      at[m] = d.models().indexOf(models.get(m));
      if (at[m] < 0) {
        missing.add(models.get(m));
      }
    }
    if (!missing.isEmpty()) {
      throw new DataException(
          file
              + ": the model folder's pool has models the data does not score: "
              + missing
              + "; the data scores "
              + d.models());
    }
    List<OutcomeRow> rows = new ArrayList<>();
    for (OutcomeRow r : d.rows()) {
      double[] s = new double[at.length];
      double[] c = new double[at.length];
      for (int m = 0; m < at.length; m++) {
        s[m] = r.score()[at[m]];
        c[m] = r.cost()[at[m]];
      }
      rows.add(new OutcomeRow(r.id(), r.task(), r.prompt(), s, c));
    }
    return new OutcomeData(models, rows);
  }

  private static String leaveOneTaskOut(
      OutcomeData all, JsonNode cfg, OutcomeModel folder, Path cacheDir) {
    List<String> tasks = all.tasks();
    if (tasks.size() < 2 || tasks.contains("")) {
      return "leave one task out: the data has no 'task' field on every row (or a single task); skipped";
    }
    double l2 = cfg.path("training").path("l2").asDouble(0.01);
    int iterations = cfg.path("training").path("iterations").asInt(300);
    double lr = cfg.path("training").path("lr").asDouble(0.05);
    float[][] xAll = OutcomeTraining.features(all.prompts(), folder.maxTokens(), cacheDir, "all");
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "| left-out task | prompts | cheapest | strongest | oracle | learned (target %.2f) | cost (USD) | random at equal cost | gain | best mix | gain |%n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|%n",
                folder.target()));
    for (String t : tasks) {
      List<Integer> in = new ArrayList<>();
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < all.rows().size(); i++) {
        (all.rows().get(i).task().equals(t) ? out : in).add(i);
      }
      OutcomeData trainD = new OutcomeData(all.models(), in.stream().map(all.rows()::get).toList());
      OutcomeData testD = new OutcomeData(all.models(), out.stream().map(all.rows()::get).toList());
      float[][] xTrain = in.stream().map(i -> xAll[i]).toArray(float[][]::new);
      float[][] xTest = out.stream().map(i -> xAll[i]).toArray(float[][]::new);
      OutcomeTraining.Fit f =
          OutcomeTraining.fit(xTrain, OutcomeTraining.targets(trainD), l2, iterations, lr);
      RoutingEvaluation e = new RoutingEvaluation(testD);
      RoutingEvaluation.CurvePoint at =
          e.policy(f.predict(xTest), OutcomeTraining.meanCosts(trainD), folder.target());
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.4f | %.4f | %.4f | %.4f | %.6f | %.4f | %+.2f | %.4f | %+.2f |%n",
              t,
              out.size(),
              e.cheapest().accuracy(),
              e.strongest().accuracy(),
              e.oracle().accuracy(),
              at.accuracy(),
              at.cost(),
              at.randomAccuracy(),
              100 * at.gain(),
              at.hullAccuracy(),
              100 * at.hullGain()));
    }
    return sb.toString();
  }
}
