package io.semroute.classifier.pii;

import static io.semroute.classifier.pii.AddressParts.ADDRESS;
import static io.semroute.classifier.pii.AddressParts.GPE;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the model's address output follow ONE of the data set's two labelling conventions per
 * address, chosen by the address's layout. Templates with {@code {{address}}} label a whole postal
 * address, line breaks and all, as one STREET_ADDRESS; templates spelling out the parts label the
 * building number, street, secondary unit and postcode as STREET_ADDRESS spans and city / country
 * as GPE ({@link AddressParts}). A token head that sees three tokens at a time cannot tell the two
 * apart and mixes them inside one address, which no convention labels.
 *
 * <p>The model's job is reduced to finding where an address is: a run of adjacent address-like
 * entities (STREET_ADDRESS, GPE, ZIP_CODE separated by spaces, commas, up to two line breaks, or
 * one short untagged line such as a city the model missed) is one address. Its edges are then cut
 * to what an address can hold, and its layout decides the convention ({@link #wholeAddress}), with
 * rules read off the labelled rows of {@code pii/train_spans.jsonl} (the layouts the data's
 * generator prints for {@code {{address}}} and for the spelled-out templates). Measured by
 * template-level cross-validation: STREET_ADDRESS F1 0.53 with the model's own pieces, 0.85 with
 * these rules (models/README.md).
 */
public final class AddressLayout {
  private static final Set<String> PIECES = Set.of(ADDRESS, GPE, AddressParts.ZIP);

  /**
   * Between two pieces of one address: spaces and commas, at most two line breaks ("Riisa\n\n
   * Estonia") with line prefixes.
   */
  private static final Pattern SEPARATOR = Pattern.compile("[ \\t,]*(?:\\n[ \\t>?,]*){0,2}");

  /** ... or one short untagged line without digits: a city the model missed inside the address. */
  private static final Pattern MISSED_LINE =
      Pattern.compile("[ \\t,]*\\n[ \\t>?]*\\p{L}[^\\n\\d]{0,30}\\n[ \\t>?]*");

  /**
   * "{{address}}" prints US military and state layouts: "PSC 0413, Box 8144\nAPO AA 42323", "...\n,
   * CO\n ...".
   */
  private static final Pattern MILITARY =
      Pattern.compile(
          "\\b(?:PSC|Unit \\d+ Box|USNS|USNV|USS|FPO|APO|DPO)\\b", Pattern.CASE_INSENSITIVE);

  private static final Pattern STATE_LINE = Pattern.compile("\\n\\s*,");

  /** A sentence ends after the postcode: "... 96854. It serves ..." */
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=\\d)\\. (?=\\p{Lu})");

  /**
   * An organisation the model ran into the address: "Corelogic, 0896 69 Farnell Street", cut only
   * when a building number and a numbered street follow, so "Via Roma, 10" or "Flat B, 10 High St"
   * keep their first piece.
   */
  private static final Pattern LEADING_NAME =
      Pattern.compile("[^\\d,\\n]+, (?=\\d+ (?=[^,\\n]*\\p{L})[^,\\n]*\\d)");

  /** Words that name a street in the languages of the data and of common user text. */
  private static final Pattern STREET_WORD =
      Pattern.compile(
          "\\b(?:street|st|road|rd|avenue|ave|lane|ln|way|drive|dr|boulevard|blvd|place|pl|court|ct|square|sq|terrace"
              + "|crescent|close|highway|hwy|parkway|pkwy|rue|via|calle|avenida|strasse|straße|gasse|weg|vej|gatan|gata|katu)\\b",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  /** A '.' that belongs to the address: "Király u. 15.", "Magrethevej St." */
  private static final Pattern KEPT_DOT =
      Pattern.compile("(?:\\bu\\.\\s+\\d+|\\b(?:u|St|Str|Apt|ul))\\.$");

  /**
   * A template's own "St." or "street" after a street that ends with its number: "Magasinsgatan 7
   * St."
   */
  private static final Pattern TEMPLATE_STREET_WORD =
      Pattern.compile("(?<=\\d) (?:St\\.?|Street|street)$");

  private AddressLayout() {}

  /** The model's entities with each address made consistent; other entities unchanged. */
  public static List<PiiEntity> apply(String text, List<PiiEntity> entities) {
    List<PiiEntity> sorted = new ArrayList<>(entities);
    sorted.sort(Comparator.comparingInt(PiiEntity::start).thenComparingInt(PiiEntity::end));
    List<PiiEntity> out = new ArrayList<>();
    int i = 0;
    while (i < sorted.size()) {
      int j = i + 1;
      if (PIECES.contains(sorted.get(i).type())) {
        while (j < sorted.size()
            && PIECES.contains(sorted.get(j).type())
            && joined(text, sorted.get(j - 1).end(), sorted.get(j).start())) {
          j++;
        }
      }
      List<PiiEntity> run = sorted.subList(i, j);
      i = j;
      if (run.stream().noneMatch(e -> e.type().equals(ADDRESS))) {
        out.addAll(run);
      } else {
        double score = run.stream().mapToDouble(PiiEntity::score).average().orElse(0);
        address(
            text, run.get(0).start(), run.get(run.size() - 1).end(), run.size() == 1, score, out);
      }
    }
    return out;
  }

  private static void address(
      String text, int start, int end, boolean single, double score, List<PiiEntity> out) {
    int[] r = cut(text, start, end);
    if (r == null) {
      return;
    }
    int s = r[0];
    int e = r[1];
    String covered = text.substring(s, e);
    if (covered.chars().noneMatch(Character::isLetterOrDigit)) {
      return;
    }
    boolean streetWord = STREET_WORD.matcher(covered).find();
    if (single
        && (covered.chars().noneMatch(Character::isLetter)
            || (!streetWord
                && covered.chars().noneMatch(Character::isUpperCase)
                && EntityEvidence.writtenWithCapitals(text)))) {
      // a bare number ("3", "7,000" in a maths question) or a number and a lower-case word
      // ("9,200 steps", "720 torr") is no address: building numbers and postcodes come with the
      // rest of their address, and in a text written with capitals a street name has one or a
      // street word ("12 main street" stays)
      return;
    }
    if (single && !streetWord && covered.chars().noneMatch(Character::isDigit)) {
      // Every street in the data has a number; a lone word tagged as an address ("PRESS",
      // "Tunisia") is a place when capitalised and noise otherwise.
      if (Character.isUpperCase(covered.charAt(0))) {
        out.add(AddressParts.entity(text, GPE, s, e, score));
      }
      return;
    }
    int and = covered.indexOf(", and ");
    if (and > 0) {
      // "here they are: {{address}}, and {{address}}": two addresses the model ran together
      out.add(AddressParts.entity(text, ADDRESS, s, s + and, score));
      out.add(AddressParts.entity(text, ADDRESS, s + and + 6, e, score));
      return;
    }
    Matcher st = TEMPLATE_STREET_WORD.matcher(covered);
    if (st.find()) {
      e = s + st.start();
    }
    if (wholeAddress(text, s, e)) {
      out.add(AddressParts.entity(text, ADDRESS, s, e, score));
    } else {
      out.addAll(AddressParts.split(text, s, e, score));
    }
  }

  /** The address's edges cut to what an address holds; null when nothing is left. */
  private static int[] cut(String text, int s, int e) {
    Matcher m = SENTENCE_END.matcher(text).region(s, e);
    if (m.find()) {
      e = m.start();
    }
    m = LEADING_NAME.matcher(text).region(s, e);
    if (m.lookingAt()) {
      s = m.end();
    }
    // the address ran into a label line ("...\nDPO AE 44085\nMobile: 0688 ...")
    int lastBreak = text.lastIndexOf('\n', e - 1);
    if (lastBreak >= s && e < text.length() && text.charAt(e) == ':') {
      e = lastBreak;
    }
    if (e > s && text.charAt(e - 1) == '.' && !KEPT_DOT.matcher(text.substring(s, e)).find()) {
      e--;
    }
    while (s < e && Character.isWhitespace(text.charAt(s))) {
      s++;
    }
    while (e > s && Character.isWhitespace(text.charAt(e - 1))) {
      e--;
    }
    return s < e ? new int[] {s, e} : null;
  }

  /**
   * Whether the address is labelled whole, from the layouts the data's generator prints: its {@code
   * {{address}}} has a state line ("\n, CO\n"), military forms, several units or comma pieces on
   * one line ("9721 Dalmatinova 43 Apt. 678 Velenje nan"), "street\ncity, state zip", or stops at
   * the country without a postcode; and an address that starts mid-sentence ("send a new one to
   * 1987 74 Diakou Street\n Suite 680\n ...") is an {@code {{address}}} too. The spelled-out
   * templates start their address on a line of its own, after a name, or as "number street[,
   * city]".
   */
  static boolean wholeAddress(String text, int s, int e) {
    String r = text.substring(s, e);
    if (STATE_LINE.matcher(r).find() || MILITARY.matcher(r).find()) {
      return true;
    }
    List<int[]> lines = AddressParts.lines(text, s, e);
    if (lines.size() == 1) {
      Matcher sec = AddressParts.SECONDARY.matcher(r);
      int lastEnd = -1;
      boolean first = true;
      boolean leading = false;
      while (sec.find()) {
        leading = first && sec.start() == 0;
        first = false;
        lastEnd = sec.end();
      }
      if (lastEnd >= 0 && !leading) {
        return !r.substring(lastEnd).isBlank() || r.contains(", ");
      }
      return r.split(", ", -1).length >= 3;
    }
    if (lines.size() == 2 && r.contains(", ")) {
      return true;
    }
    int[] last = lines.get(lines.size() - 1);
    if (lines.size() >= 4 && !Character.isDigit(text.charAt(last[1] - 1))) {
      return true;
    }
    int lineStart = text.lastIndexOf('\n', s - 1) + 1;
    String before = text.substring(lineStart, s).stripTrailing();
    if (before.isEmpty()) {
      return false;
    }
    String word = before.substring(before.lastIndexOf(' ') + 1);
    return !word.isEmpty() && (Character.isLowerCase(word.charAt(0)) || word.endsWith(":"));
  }

  private static boolean joined(String text, int from, int to) {
    if (to < from) {
      return false;
    }
    String gap = text.substring(from, to);
    return SEPARATOR.matcher(gap).matches() || MISSED_LINE.matcher(gap).matches();
  }
}
