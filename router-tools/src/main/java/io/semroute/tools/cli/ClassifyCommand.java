package io.semroute.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.classifier.Entity;
import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.TokenClassification;
import io.semroute.classifier.TokenClassifier;
import io.semroute.classifier.TokenLabel;
import io.semroute.classifier.checkpoint.CheckpointConfig;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.outcome.OutcomeModel;
import io.semroute.classifier.pii.PiiDetector;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.tools.data.DataException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Two modes.
 *
 * <ul>
 *   <li>{@code classify --model DIR --text TEXT [--json]}: runs a sequence or token classifier (a
 *       Hugging Face directory or a head-only folder such as {@code models/category}) on each text,
 *       printing scores (and tokens) for inspection.
 *   <li>{@code classify (--config config.yaml | --model DIR) --task category|jailbreak|pii --input
 *       IN.jsonl --output OUT.jsonl}: batch mode, one output row per input row, in order (see
 *       {@link BatchClassification}). With {@code --config} the task's model is the one the router
 *       itself would use.
 * </ul>
 */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    description = {
      "Classify text with a model directory (Hugging Face ModernBERT/BERT, or a trained head in models/).",
      "Batch: classify --config config.yaml --task category|jailbreak|pii --input IN.jsonl --output OUT.jsonl",
      "Routing: classify --task routing --model OUTCOMES_DIR --input IN.jsonl --output OUT.jsonl -> {model, success: {model: p}}"
    })
public final class ClassifyCommand implements Callable<Integer> {

  /** The tasks of batch mode. */
  public enum Task {
    category,
    jailbreak,
    pii,
    routing
  }

  /** Finds the model a router config uses for a task; the router jar supplies the real one. */
  @FunctionalInterface
  public interface TaskModels {
    /**
     * @throws IllegalArgumentException naming the config key when the config has no such model
     */
    Path modelFor(Path configFile, Task task);
  }

  private final TaskModels taskModels;

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      description = "model directory: a Hugging Face directory or a trained head (models/...)")
  Path model;

  @Option(names = "--config", description = "router config: take the --task's model from it")
  Path config;

  @Option(
      names = "--task",
      description = "batch mode: category, jailbreak, pii or routing (an outcomes folder)")
  Task task;

  @Option(names = "--input", description = "batch mode: JSONL, one {\"text\": ...} object per line")
  Path input;

  @Option(names = "--output", description = "batch mode: JSONL written here, one row per input row")
  Path output;

  @Option(names = "--text", description = "text to classify (repeat for several, run as one batch)")
  List<String> texts;

  @Option(names = "--json", description = "print JSON (one object per text, one per line)")
  boolean json;

  @Mixin EngineOptions engine;

  private final ObjectMapper mapper = new ObjectMapper();

  /** Without a router config reader: {@code --config} is refused with a hint. */
  public ClassifyCommand() {
    this(
        (file, t) -> {
          throw new IllegalArgumentException(
              "--config needs the router's config reader: run classify from router.jar");
        });
  }

  public ClassifyCommand(TaskModels taskModels) {
    this.taskModels = taskModels;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (input != null || output != null || task != null || config != null) {
      return batch(out, err);
    }
    if (model == null || texts == null || texts.isEmpty()) {
      err.println(
          "classify: give --model DIR --text TEXT, or batch mode: --config FILE (or --model DIR) --task TASK --input IN.jsonl --output OUT.jsonl");
      return 2;
    }
    try {
      // Head-only folders (models/category ...) and Hugging Face directories both print here, so
      // the shipped models can be inspected with the same command as a user's ModernBERT.
      switch (ClassifierRegistry.kindOf(model)) {
        case SEQUENCE_CLASSIFICATION ->
            printSequences(ClassifierRegistry.openSequence(model, engine.apply()), out);
        case TOKEN_CLASSIFICATION ->
            printTokens(ClassifierRegistry.openToken(model, engine.apply()), out);
        case ENCODER_ONLY -> {
          err.println(
              "classify: "
                  + model
                  + " holds an encoder without a classifier head ("
                  + CheckpointConfig.read(model.resolve("config.json")).architecture()
                  + "); use a *ForSequenceClassification or *ForTokenClassification directory");
          return 2;
        }
      }
    } catch (CheckpointFormatException | IllegalArgumentException e) {
      err.println("classify: " + e.getMessage());
      return 2;
    }
    out.flush();
    return 0;
  }

  private void printSequences(SequenceClassifier classifier, PrintWriter out) throws Exception {
    try (SequenceClassifier c = classifier) {
      for (SequenceClassification r : c.classify(texts)) {
        out.println(json ? mapper.writeValueAsString(toJson(r)) : human(r));
      }
    }
  }

  private void printTokens(TokenClassifier classifier, PrintWriter out) throws Exception {
    try (TokenClassifier c = classifier) {
      for (TokenClassification r : c.classify(texts)) {
        out.println(json ? mapper.writeValueAsString(toJson(r)) : human(r));
      }
    }
  }

  private int batch(PrintWriter out, PrintWriter err) {
    if (task == null || input == null || output == null) {
      err.println("classify: batch mode needs --task, --input and --output");
      return 2;
    }
    if ((config == null) == (model == null)) {
      err.println("classify: batch mode needs exactly one of --config FILE or --model DIR");
      return 2;
    }
    if (texts != null) {
      err.println("classify: --text and --input cannot be combined");
      return 2;
    }
    Path dir;
    try {
      dir = model != null ? model : taskModels.modelFor(config, task);
    } catch (IllegalArgumentException e) {
      err.println("classify: " + e.getMessage());
      return 2;
    }
    long rows;
    long t0 = System.nanoTime();
    try {
      if (task == Task.routing) {
        if (!OutcomeModel.isOutcomeFolder(dir)) {
          err.println(
              "classify: --task routing needs an outcomes folder (train --task outcomes), not "
                  + dir);
          return 2;
        }
        try (var m = OutcomeModel.open(dir, engine.apply(), true)) {
          rows = BatchClassification.routing(m, input, output);
        }
      } else if (task == Task.pii) {
        try (PiiDetector detector = ClassifierRegistry.openPii(dir, engine.apply())) {
          rows = BatchClassification.pii(detector, input, output);
        }
      } else {
        try (SequenceClassifier c = SequenceEval.open(dir, engine.apply())) {
          rows = BatchClassification.sequence(c, input, output);
        }
      }
    } catch (CheckpointFormatException | DataException | IllegalArgumentException e) {
      err.println("classify: " + e.getMessage());
      return 2;
    }
    err.printf(
        Locale.ROOT,
        "classify: %d rows, task %s, model %s -> %s (%.1f s)%n",
        rows,
        task,
        dir,
        output,
        (System.nanoTime() - t0) / 1e9);
    err.flush();
    return 0;
  }

  private ObjectNode toJson(SequenceClassification r) {
    ObjectNode o = mapper.createObjectNode();
    o.put("label", r.label());
    o.put("confidence", r.confidence());
    ObjectNode scores = o.putObject("scores");
    for (Map.Entry<String, Float> e : r.scores().entrySet()) {
      scores.put(e.getKey(), e.getValue());
    }
    ArrayNode logits = o.putArray("logits");
    for (float f : r.logits()) {
      logits.add(f);
    }
    if (r.truncated()) {
      o.put("truncated", true);
    }
    return o;
  }

  private ObjectNode toJson(TokenClassification r) {
    ObjectNode o = mapper.createObjectNode();
    ArrayNode entities = o.putArray("entities");
    for (Entity e : r.entities()) {
      entities
          .addObject()
          .put("type", e.type())
          .put("start", e.start())
          .put("end", e.end())
          .put("text", e.text())
          .put("score", e.score());
    }
    ArrayNode tokens = o.putArray("tokens");
    for (TokenLabel t : r.tokens()) {
      tokens.addObject().put("token", t.token()).put("label", t.label()).put("score", t.score());
    }
    if (r.truncated()) {
      o.put("truncated", true);
    }
    return o;
  }

  private static String human(SequenceClassification r) {
    StringBuilder sb = new StringBuilder(String.format("%s (%.4f)", r.label(), r.confidence()));
    r.scores().forEach((k, v) -> sb.append(String.format("%n  %-24s %.4f", k, v)));
    if (r.truncated()) {
      sb.append(String.format("%n  (input truncated to %d tokens)", r.tokenCount()));
    }
    return sb.toString();
  }

  private static String human(TokenClassification r) {
    StringBuilder sb = new StringBuilder();
    if (r.entities().isEmpty()) {
      sb.append("no entities");
    }
    for (Entity e : r.entities()) {
      sb.append(
          String.format(
              "%s [%d,%d) \"%s\" %.4f%n", e.type(), e.start(), e.end(), e.text(), e.score()));
    }
    return sb.toString().stripTrailing();
  }
}
