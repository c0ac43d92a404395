package io.semroute.classifier.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.classifier.Entity;
import io.semroute.classifier.ModelDirectory;
import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.TokenClassification;
import io.semroute.classifier.TokenClassifier;
import io.semroute.classifier.TokenLabel;
import io.semroute.classifier.model.ModelFormatException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code classify --model DIR --text TEXT [--json]}: runs a Hugging Face sequence or token
 * classifier directory on each text. One JSON object per text (one line each with --json).
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
    description = "Classify text with a Hugging Face model directory (ModernBERT/BERT sequence or token classifier).")
public final class ClassifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "model directory: config.json, model.safetensors, tokenizer.json")
  Path model;

  @Option(names = "--text", required = true, description = "text to classify (repeat for several, run as one batch)")
  List<String> texts;

  @Option(names = "--json", description = "print JSON (one object per text, one per line)")
  boolean json;

  @Mixin EngineOptions engine;

  private final ObjectMapper mapper = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ModelDirectory dir;
    try {
      dir = ModelDirectory.load(model, engine.apply());
    } catch (ModelFormatException | IllegalArgumentException e) {
      err.println("classify: " + e.getMessage());
      return 2;
    }
    switch (dir.kind()) {
      case SEQUENCE_CLASSIFICATION -> {
        try (SequenceClassifier c = dir.sequenceClassifier()) {
          for (SequenceClassification r : c.classify(texts)) {
            out.println(json ? mapper.writeValueAsString(toJson(r)) : human(r));
          }
        }
      }
      case TOKEN_CLASSIFICATION -> {
        try (TokenClassifier c = dir.tokenClassifier()) {
          for (TokenClassification r : c.classify(texts)) {
            out.println(json ? mapper.writeValueAsString(toJson(r)) : human(r));
          }
        }
      }
      default -> {
        dir.embedder().close();
        err.println("classify: " + model + " holds an encoder without a classifier head (" + dir.config().architecture()
            + "); use a *ForSequenceClassification or *ForTokenClassification directory");
        return 2;
      }
    }
    out.flush();
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
      entities.addObject().put("type", e.type()).put("start", e.start()).put("end", e.end())
          .put("text", e.text()).put("score", e.score());
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
      sb.append(String.format("%s [%d,%d) \"%s\" %.4f%n", e.type(), e.start(), e.end(), e.text(), e.score()));
    }
    return sb.toString().stripTrailing();
  }
}
