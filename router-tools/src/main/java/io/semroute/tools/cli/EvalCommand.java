package io.semroute.tools.cli;

import io.semroute.classifier.pii.PatternPiiDetector;
import io.semroute.tools.data.DataException;
import io.semroute.tools.data.Jsonl;
import io.semroute.tools.data.SpanExample;
import io.semroute.tools.data.TemplateSplit;
import io.semroute.tools.eval.HtmlReport;
import io.semroute.tools.eval.PiiEvaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eval --task category|jailbreak|pii --data FILE.jsonl [--model DIR]}: prints accuracy,
 * macro-F1, a per-class table and a confusion matrix (entity-level P/R/F1 per type for PII), and
 * latency per example.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate a classifier (or the PII pattern recognizers) on labelled JSONL data.")
public final class EvalCommand implements Callable<Integer> {

  /** The three tasks. */
  public enum Task {
    category,
    jailbreak,
    pii,
    outcomes,
    routing
  }

  @Option(names = "--task", required = true, description = "category, jailbreak, pii or routing")
  Task task;

  @Option(names = "--data", required = true, description = "JSONL with text+label (spans for pii)")
  Path data;

  @Option(
      names = "--model",
      description = "model directory; for pii without it only the pattern recognizers run")
  Path model;

  @Option(
      names = "--heldout-templates",
      defaultValue = "0",
      description =
          "pii: evaluate only this fraction of template ids, held out by a seeded split (0 = all rows)")
  double heldOutTemplates;

  @Option(names = "--seed", defaultValue = "42", description = "seed for --heldout-templates")
  long seed;

  @Option(
      names = "--prices",
      description = "routing: price table (USD per 1M tokens) for data without cost_usd")
  Path prices;

  @Option(
      names = "--output-tokens",
      defaultValue = "256",
      description = "routing: answer tokens assumed with --prices (default ${DEFAULT-VALUE})")
  int outputTokens;

  @Option(
      names = "--part",
      defaultValue = "all",
      description =
          "routing: all rows, or the train/dev/test part of the model folder's split by prompt (default ${DEFAULT-VALUE})")
  String part;

  @Option(
      names = "--leave-one-task-out",
      description =
          "routing: also refit the folder's head without each task (the data's 'task' field) and evaluate on that task")
  boolean leaveOneTaskOut;

  @Option(
      names = "--task-model",
      description =
          "routing: with --leave-one-task-out, rows without a 'task' take this classifier's label (e.g. models/task-type)")
  Path taskModel;

  @Option(
      names = "--category-model",
      description =
          "routing: also evaluate category routing with this domain classifier (e.g. models/category)")
  Path categoryModel;

  @Option(
      names = "--cache-dir",
      defaultValue = "target/embedding-cache",
      description = "routing: encoder feature cache (default ${DEFAULT-VALUE})")
  Path cacheDir;

  @Option(
      names = "--thresholds",
      split = ",",
      defaultValue = "0.5",
      description =
          "jailbreak: block thresholds for the per-source table of benign refused / attacks caught (default ${DEFAULT-VALUE})")
  double[] thresholds;

  @Option(
      names = "--scores",
      description = "jailbreak: also write each row's source, label and risk to this JSONL file")
  Path scores;

  @Option(
      names = "--second-stage",
      description =
          "jailbreak: evaluate the cascade: this model decides the texts --model scores at or above"
              + " --escalate-threshold")
  Path secondStage;

  @Option(
      names = "--escalate-threshold",
      defaultValue = "0.5",
      description =
          "jailbreak with --second-stage: first-stage risk that escalates (default ${DEFAULT-VALUE})")
  double escalateThreshold;

  @Option(
      names = "--html",
      description = "also write the report as a self-contained HTML page to this file")
  Path html;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(data)) {
      System.err.println("eval: data file " + data + " does not exist");
      return 2;
    }
    try {
      return switch (task) {
        case pii -> evalPii();
        case category, jailbreak -> {
          if (secondStage != null) {
            if (task != Task.jailbreak || model == null) {
              System.err.println("eval: --second-stage is for --task jailbreak with --model");
              yield 2;
            }
            yield CascadeEval.run(data, model, secondStage, escalateThreshold, thresholds, scores);
          }
          yield SequenceEval.run(task.name(), data, model, html, thresholds, scores);
        }
        case routing ->
            RoutingEval.run(
                data,
                model,
                prices,
                outputTokens,
                part,
                leaveOneTaskOut,
                cacheDir,
                html,
                categoryModel,
                taskModel);
        case outcomes -> {
          System.err.println("eval: use --task routing for outcome data");
          yield 2;
        }
      };
    } catch (DataException e) {
      System.err.println("eval: " + e.getMessage());
      return 2;
    }
  }

  private int evalPii() {
    List<SpanExample> rows = Jsonl.readSpans(data);
    if (heldOutTemplates > 0) {
      rows = TemplateSplit.split(rows, heldOutTemplates, seed).heldOut();
    }
    if (model != null) {
      return TokenEval.run(rows, model, html);
    }
    PatternPiiDetector detector = PatternPiiDetector.defaults();
    Set<String> types = detector.types();
    System.out.printf(
        "pii eval: pattern recognizers only (types %s), %d texts from %s%n%n",
        types, rows.size(), data);
    PiiEvaluation.Result r = PiiEvaluation.run(rows, detector::detect, types);
    System.out.println(r.entities().format());
    System.out.println(r.latency().format());
    if (html != null) {
      new HtmlReport("pii eval: pattern recognizers")
          .fact("data", data + " (" + rows.size() + " texts)")
          .entities(r.entities())
          .latency(r.latency())
          .write(html);
    }
    return 0;
  }
}
