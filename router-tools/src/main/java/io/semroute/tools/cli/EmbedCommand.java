package io.semroute.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.classifier.TextEmbedder;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.registry.ClassifierRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code embed --text TEXT [--json]}: mean-pooled, L2-normalised sentence embedding from the
 * built-in all-MiniLM-L6-v2 (or from a model directory's encoder with --model).
 */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description =
        "Embed text with the built-in all-MiniLM-L6-v2 encoder (mean-pooled, L2-normalised).")
public final class EmbedCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--text", required = true, description = "text to embed (repeat for several)")
  List<String> texts;

  @Option(
      names = "--json",
      description = "print {\"embedding\": [...]} (one object per text, one per line)")
  boolean json;

  @Option(
      names = "--model",
      description = "use this model directory's encoder instead of the built-in one")
  Path model;

  @Mixin EngineOptions engine;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper();
    TextEmbedder embedder;
    try {
      embedder =
          model == null
              ? ClassifierRegistry.builtinEmbedder(engine.apply())
              : new TextEmbedder(ClassifierRegistry.openEncoder(model, engine.apply()), true);
    } catch (CheckpointFormatException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("embed: " + e.getMessage());
      return 2;
    }
    try (embedder) {
      for (float[] v : embedder.embed(texts)) {
        if (json) {
          ObjectNode o = mapper.createObjectNode();
          ArrayNode a = o.putArray("embedding");
          for (float f : v) {
            a.add(f);
          }
          out.println(mapper.writeValueAsString(o));
        } else {
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : " ").append(v[i]);
          }
          out.println(sb);
        }
      }
    }
    out.flush();
    return 0;
  }
}
