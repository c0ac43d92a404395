package io.semroute.tools.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One sentence template of the PII generator ({@code pii/generator/templates.txt}): literal text
 * and {@code {{placeholder}}} slots. Its id is its 0-based line number, which is the {@code
 * template_id} of the rows in {@code pii/train_spans.jsonl} (checked by a test that aligns every
 * row with its template).
 *
 * <p>The template file is rewritten into the form the labelled rows have: {@code \n} written as two
 * characters is a line break, lines are stripped, and two characters appear in the rows only as
 * cp1255 mojibake ("–" as "ג€“", U+FFFD as "ן¿½"), so generated rows carry the same bytes.
 */
public record PiiTemplate(int id, List<Part> parts) {
  private static final Pattern SLOT = Pattern.compile("\\{\\{(\\w+)}}");

  /** Literal text ({@code placeholder == null}) or a slot. */
  public record Part(String literal, String placeholder) {
    public boolean slot() {
      return placeholder != null;
    }
  }

  public PiiTemplate {
    parts = List.copyOf(parts);
  }

  public static PiiTemplate parse(int id, String line) {
    String t = line.replace("\\n", "\n").replace("–", "ג€“").replace("\uFFFD", "ן¿½").strip();
    List<Part> parts = new ArrayList<>();
    Matcher m = SLOT.matcher(t);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) {
        parts.add(new Part(t.substring(at, m.start()), null));
      }
      parts.add(new Part(null, m.group(1)));
      at = m.end();
    }
    if (at < t.length()) {
      parts.add(new Part(t.substring(at), null));
    }
    return new PiiTemplate(id, parts);
  }

  /** All templates of the file, indexed by line number. */
  public static List<PiiTemplate> readAll(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DataException("missing template file " + file);
    }
    try {
      String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
      List<PiiTemplate> out = new ArrayList<>(lines.length);
      for (int i = 0; i < lines.length; i++) {
        out.add(
            parse(
                i,
                lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i]));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public List<String> placeholders() {
    return parts.stream().filter(Part::slot).map(Part::placeholder).toList();
  }

  /**
   * Where each slot's value sits in a text made from this template, or empty when the text does not
   * fit it. Case-insensitive, because part of the data set is lower- or upper-cased whole. Adjacent
   * slots are split at the first point that fits (lazy match).
   */
  public Optional<List<CharSpan>> match(String text) {
    StringBuilder re = new StringBuilder();
    for (Part p : parts) {
      re.append(p.slot() ? "(.+?)" : Pattern.quote(p.literal()));
    }
    Matcher m =
        Pattern.compile(
                re.toString(), Pattern.DOTALL | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
            .matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    List<String> names = placeholders();
    List<CharSpan> out = new ArrayList<>(names.size());
    for (int g = 0; g < names.size(); g++) {
      out.add(new CharSpan(m.start(g + 1), m.end(g + 1), names.get(g)));
    }
    return Optional.of(out);
  }
}
