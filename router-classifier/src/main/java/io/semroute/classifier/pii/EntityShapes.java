package io.semroute.classifier.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Boundary rules a model entity is cut to, read off the labelled data's conventions (all 1,195
 * non-held-out rows of {@code pii/train_spans.jsonl}): no entity starts with punctuation and only
 * '.' or ')' ends one ("u. 12.", "Cyprus (Greek)"); a PERSON never holds a line break, an "and" or
 * "&amp;" between words, or punctuation at either end, and its honorific ("Dr.", "Mrs.") is a TITLE
 * entity of its own (39 rows do so, 2 fold it into the name). A token head sees three tokens at a
 * time, so it often runs a name into the next line, across "Marrero and Murphy", or over the
 * apostrophe of "Matej's"; these rules restore what the data set would label.
 */
public final class EntityShapes {
  private static final Pattern PERSON_BREAK =
      Pattern.compile("\\s*\\n\\s*|\\s+(?:and|&)\\s+|\\s*&\\s*", Pattern.CASE_INSENSITIVE);
  private static final Pattern HONORIFIC =
      Pattern.compile("(?:mr|mrs|ms|miss|mx|dr|prof)\\.?(?=\\s)", Pattern.CASE_INSENSITIVE);

  /** A piece of an entity: type and character offsets. */
  public record Piece(String type, int start, int end) {}

  private EntityShapes() {}

  /**
   * The entity {@code [start, end)} of {@code type} cut to the data set's conventions; may be
   * empty.
   */
  public static List<Piece> refine(String text, String type, int start, int end) {
    List<Piece> out = new ArrayList<>();
    if (!type.equals("PERSON")) {
      int[] t = trim(text, start, end, true);
      if (t != null) {
        out.add(new Piece(type, t[0], t[1]));
      }
      return out;
    }
    Matcher m = PERSON_BREAK.matcher(text).region(start, end);
    int from = start;
    while (m.find()) {
      person(text, from, m.start(), out);
      from = m.end();
    }
    person(text, from, end, out);
    return out;
  }

  private static void person(String text, int start, int end, List<Piece> out) {
    int[] t = trim(text, start, end, false);
    if (t == null) {
      return;
    }
    Matcher h = HONORIFIC.matcher(text).region(t[0], t[1]);
    if (h.lookingAt()) {
      out.add(new Piece("TITLE", t[0], h.end()));
      t = trim(text, h.end(), t[1], false);
      if (t == null) {
        return;
      }
    }
    out.add(new Piece("PERSON", t[0], t[1]));
  }

  /**
   * Offsets without leading non-alphanumerics and trailing ones (but '.' / ')' when allowed); null
   * if nothing is left.
   */
  private static int[] trim(String text, int start, int end, boolean keepDotParen) {
    int a = start;
    int b = Math.min(end, text.length());
    while (a < b && !Character.isLetterOrDigit(text.charAt(a))) {
      a++;
    }
    while (b > a
        && !Character.isLetterOrDigit(text.charAt(b - 1))
        && !(keepDotParen && (text.charAt(b - 1) == '.' || text.charAt(b - 1) == ')'))) {
      b--;
    }
    return b > a ? new int[] {a, b} : null;
  }
}
