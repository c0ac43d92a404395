package io.semroute.tools.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.outcome.OutcomeModel;
import io.semroute.classifier.pii.PiiDetector;
import io.semroute.classifier.pii.PiiEntity;
import io.semroute.tools.data.DataException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Batch mode of {@code classify}: JSONL in ({@code {"text": ...}} per row), JSONL out, one output
 * row per input row in the same order — {@code {"label","confidence"}} for sequence tasks, {@code
 * {"entities":[{"type","start","end","score"}]}} for PII. An input row's {@code id} is copied
 * through so joins do not depend on line order alone.
 *
 * <p>Rows stream through in chunks (so a large file never sits in memory) and are written to a
 * temporary file that replaces {@code output} only when every row succeeded: a bad row never leaves
 * a half-written output that looks complete.
 */
final class BatchClassification {
  /** Rows per encoder call: large enough to batch, small enough to keep padding and memory low. */
  static final int CHUNK = 32;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BatchClassification() {}

  /** Classifies every row with a sequence classifier; returns the number of rows. */
  static long sequence(SequenceClassifier classifier, Path input, Path output) {
    return run(
        input,
        output,
        (texts, rows) -> {
          List<SequenceClassification> results = classifier.classify(texts);
          for (int i = 0; i < results.size(); i++) {
            SequenceClassification r = results.get(i);
            rows.get(i).put("label", r.label()).put("confidence", r.confidence());
            if (r.truncated()) {
              rows.get(i).put("truncated", true);
            }
          }
        });
  }

  /** Finds PII entities (model merged with the recognizers) in every row. */
  static long pii(PiiDetector detector, Path input, Path output) {
    return run(
        input,
        output,
        (texts, rows) -> {
          for (int i = 0; i < texts.size(); i++) {
            ArrayNode entities = rows.get(i).putArray("entities");
            for (PiiEntity e : detector.detect(texts.get(i))) {
              entities
                  .addObject()
                  .put("type", e.type())
                  .put("start", e.start())
                  .put("end", e.end())
                  .put("score", e.score());
            }
          }
        });
  }

  /**
   * Routing: {@code {"model": chosen, "success": {model: probability}}} per row, the choice made by
   * the outcomes folder's default policy.
   */
  static long routing(OutcomeModel model, Path input, Path output) {
    return run(
        input,
        output,
        (texts, rows) -> {
          List<double[]> p = model.predict(texts);
          for (int i = 0; i < texts.size(); i++) {
            rows.get(i).put("model", model.models().get(model.choose(p.get(i))));
            ObjectNode success = rows.get(i).putObject("success");
            for (int m = 0; m < model.models().size(); m++) {
              success.put(model.models().get(m), Math.round(p.get(i)[m] * 1e4) / 1e4);
            }
          }
        });
  }

  /** Fills the output rows of one chunk from its texts. */
  private interface ChunkTask {
    void apply(List<String> texts, List<ObjectNode> rows);
  }

  private static long run(Path input, Path output, ChunkTask task) {
    if (!Files.isRegularFile(input)) {
      throw new DataException(input + ": input file does not exist");
    }
    Path tmp = output.resolveSibling(output.getFileName() + ".part");
    long count = 0;
    try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8);
        BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      List<String> texts = new ArrayList<>(CHUNK);
      List<ObjectNode> rows = new ArrayList<>(CHUNK);
      String line;
      long lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue; // blank lines are not rows (a trailing newline is common)
        }
        ObjectNode row = MAPPER.createObjectNode();
        JsonNode id = parse(input, lineNo, line, texts);
        if (id != null) {
          row.set("id", id);
        }
        rows.add(row);
        if (texts.size() == CHUNK) {
          count += flush(task, texts, rows, out);
        }
      }
      count += flush(task, texts, rows, out);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
    try {
      Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + output, e);
    }
    return count;
  }

  /** Adds the row's text to {@code texts}; returns its {@code id} (or null). */
  private static JsonNode parse(Path input, long lineNo, String line, List<String> texts) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new DataException(input + ":" + lineNo + ": not valid JSON: " + e.getOriginalMessage());
    }
    JsonNode text = node == null || !node.isObject() ? null : node.get("text");
    if (text == null && node != null && node.isObject()) {
      text = node.get("prompt"); // outcome data rows carry "prompt"
    }
    if (text == null || !text.isTextual()) {
      throw new DataException(
          input
              + ":"
              + lineNo
              + ": each row must be an object with a string \"text\" (or \"prompt\")");
    }
    texts.add(text.asText());
    return node.get("id");
  }

  private static int flush(
      ChunkTask task, List<String> texts, List<ObjectNode> rows, BufferedWriter out)
      throws IOException {
    if (texts.isEmpty()) {
      return 0;
    }
    task.apply(texts, rows);
    for (ObjectNode row : rows) {
      out.write(MAPPER.writeValueAsString(row));
      out.write('\n');
    }
    int n = rows.size();
    texts.clear();
    rows.clear();
    return n;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: the failure being reported matters more than the leftover
    }
  }
}
