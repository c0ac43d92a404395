package io.semroute.tools.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** JSON Lines I/O. Errors name the file and line so a broken data set is easy to fix. */
public final class Jsonl {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Jsonl() {}

  /** Every non-blank line of {@code file} parsed as a JSON object. */
  public static List<JsonNode> read(Path file) {
    List<JsonNode> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
          throw new DataException(
              file + ":" + lineNo + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
          throw new DataException(file + ":" + lineNo + ": expected a JSON object per line");
        }
        rows.add(node);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return rows;
  }

  /** Rows with a string {@code text} and string {@code label}. */
  public static List<LabeledText> readLabeled(Path file) {
    List<JsonNode> rows = read(file);
    List<LabeledText> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode r = rows.get(i);
      out.add(new LabeledText(requireText(file, i, r, "text"), requireText(file, i, r, "label")));
    }
    return out;
  }

  /** Rows with {@code text}, {@code spans} [{start,end,label}] and optional {@code template_id}. */
  public static List<SpanExample> readSpans(Path file) {
    List<JsonNode> rows = read(file);
    List<SpanExample> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode r = rows.get(i);
      String text = requireText(file, i, r, "text");
      JsonNode spans = r.get("spans");
      if (spans == null || !spans.isArray()) {
        throw new DataException(file + ": row " + (i + 1) + ": missing array field 'spans'");
      }
      List<CharSpan> list = new ArrayList<>();
      for (JsonNode s : spans) {
        int start = s.path("start").asInt(-1);
        int end = s.path("end").asInt(-1);
        String label = s.path("label").asText("");
        if (start < 0 || end <= start || end > text.length() || label.isEmpty()) {
          throw new DataException(file + ": row " + (i + 1) + ": bad span " + s);
        }
        list.add(new CharSpan(start, end, label));
      }
      int templateId = r.path("template_id").asInt(-1);
      out.add(new SpanExample(text, list, templateId));
    }
    return out;
  }

  public static void write(Path file, List<?> rows) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (Object row : rows) {
          w.write(MAPPER.writeValueAsString(row));
          w.write('\n');
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String requireText(Path file, int index, JsonNode row, String field) {
    JsonNode v = row.get(field);
    if (v == null || !v.isTextual()) {
      throw new DataException(
          file + ": row " + (index + 1) + ": missing string field '" + field + "'");
    }
    return v.asText();
  }
}
