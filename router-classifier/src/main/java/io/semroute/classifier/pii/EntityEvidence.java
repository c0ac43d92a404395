package io.semroute.classifier.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Drops model entities whose text cannot be what their type says. The token head was trained on
 * sentences that nearly all hold personal data, so on ordinary prompts it tags "free time" as an
 * ORGANIZATION, "of" as a TITLE and the "1" of "1,000 sq ft" as a ZIP_CODE: on 3,062 ordinary
 * prompts (maths, chat, code, exam questions) it marked 64 % of them with some entity.
 *
 * <p>The rules, all read off the labelled rows of {@code pii/train_spans.jsonl}, where they hold
 * for every gold span, so they can only remove false positives there:
 *
 * <ul>
 *   <li>In a text written with capitals, a name is written with one: none of the 857 PERSON, 250
 *       ORGANIZATION, 92 TITLE and 411 GPE spans lacks an upper-case letter, except GPE "nan" (the
 *       identity table's empty state). Texts without any capital (the data's lower-cased rows, chat
 *       typed in lower case, with at most "I" capitalised) are left alone. And a name has more than
 *       one character ("B", "X" in exam questions).
 *   <li>An AGE is said to be one: "year", "old", "aged", "y/o", "born", "turn" or "when he was"
 *       within 30 characters (all 74 AGE spans; also "I'm", "I am"), not the "21" of "room for 21
 *       people".
 *   <li>A ZIP_CODE has at least three digits (all 37 do) or is a UK-style code ("M1 1AE").
 * </ul>
 */
public final class EntityEvidence {
  private static final Set<String> NAMES = Set.of("PERSON", "ORGANIZATION", "TITLE", "GPE");
  private static final Pattern AGE_WORDS =
      Pattern.compile(
          "year|\\bold\\b|\\baged?\\b|y/o|\\byo\\b|born|\\bturn|when (?:he|she|they|i) was|\\bi'm\\b|\\bi am\\b",
          Pattern.CASE_INSENSITIVE);
  private static final int AGE_CONTEXT = 30;

  private EntityEvidence() {}

  /**
   * Whether the text is written with capitals at all: some word other than "I" starts with one.
   * Sentence starts count, since a writer who capitalises them capitalises names too; a text in
   * lower case ("my friend john smith said i ...", the data's lower-cased rows) keeps its
   * lower-case names.
   */
  static boolean writtenWithCapitals(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!Character.isUpperCase(text.charAt(i))
          || (i > 0 && Character.isLetterOrDigit(text.charAt(i - 1)))) {
        continue;
      }
      boolean pronoun =
          text.charAt(i) == 'I'
              && (i + 1 == text.length() || !Character.isLetter(text.charAt(i + 1)));
      if (!pronoun) {
        return true;
      }
    }
    return false;
  }

  /**
   * A US zipcode or postcode: three or more digits ("700", "8592"), or a UK-style code of 5+
   * characters ("M1 1AE").
   */
  private static boolean plausibleZip(String s) {
    long digits = s.chars().filter(Character::isDigit).count();
    long letters = s.chars().filter(Character::isLetter).count();
    return digits >= 3 || (digits >= 1 && letters >= 1 && digits + letters >= 5);
  }

  /** The entities that can be what their type says, in order. */
  public static List<PiiEntity> filter(String text, List<PiiEntity> entities) {
    boolean cased = writtenWithCapitals(text);
    List<PiiEntity> out = new ArrayList<>(entities.size());
    for (PiiEntity e : entities) {
      if (NAMES.contains(e.type())
          && (e.length() < 2
              || (cased
                  && e.text().chars().noneMatch(Character::isUpperCase)
                  && !e.text().equals("nan")))) {
        continue;
      }
      if (e.type().equals("AGE")
          && !AGE_WORDS
              .matcher(
                  text.substring(
                      Math.max(0, e.start() - AGE_CONTEXT),
                      Math.min(text.length(), e.end() + AGE_CONTEXT)))
              .find()) {
        continue;
      }
      if (e.type().equals("ZIP_CODE") && !plausibleZip(e.text())) {
        continue;
      }
      out.add(e);
    }
    return out;
  }
}
