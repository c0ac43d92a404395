package io.semroute.classifier.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts one postal address into the pieces the data set labels when a template spells an address out
 * ({@code {{building_number}} {{street_name}}\n {{secondary_address}}\n {{city}}\n {{country}}
 * {{postcode}}}): the building number, the street, the secondary address ("Apt. 123", "Suite 9")
 * and a postcode are STREET_ADDRESS spans of their own; city, state and country are GPE; a US-style
 * zipcode after a state abbreviation ("Aalborg NO 9100") is ZIP_CODE.
 *
 * <p>The pieces are found by layout, not by the model's tags: the address's first line (or first
 * comma piece) is the street, and what follows is read line by line. The token head sees three
 * tokens at a time and cannot know where a street name ends; the layout can.
 */
final class AddressParts {
  static final String ADDRESS = "STREET_ADDRESS";
  static final String GPE = "GPE";
  static final String ZIP = "ZIP_CODE";

  /**
   * A secondary address unit: "Apt. 864", "Suite 541" (any case, as the data's lower-cased rows).
   */
  static final Pattern SECONDARY = Pattern.compile("\\b(?:(?i:apt)\\.|(?i:suite))\\s+\\S+");

  /** A bare leading number, e.g. the building number before a street that has its own number. */
  private static final Pattern LEADING_NUMBER = Pattern.compile("(\\d+)\\s+");

  private static final Pattern HAS_LETTER = Pattern.compile("\\p{L}");
  private static final Pattern HAS_DIGIT = Pattern.compile("\\d");
  private static final Pattern POSTCODE = Pattern.compile("\\d{3,}");
  private static final Pattern HOUSE_NUMBER = Pattern.compile("\\d{1,4}\\p{L}?");

  /** "Aalborg NO 9100": city, state abbreviation, zipcode. */
  private static final Pattern CITY_STATE_ZIP = Pattern.compile("(.*\\S)\\s+(\\S+)\\s+(\\d{3,})");

  /** "Uruguay 64677": country (or city) and postcode. */
  private static final Pattern PLACE_POSTCODE = Pattern.compile("(.*\\S)\\s+(\\d{3,})");

  private AddressParts() {}

  /**
   * The parts of the address {@code [start, end)} of {@code text}, in order, each with {@code
   * score}.
   */
  static List<PiiEntity> split(String text, int start, int end, double score) {
    List<int[]> pieces = new ArrayList<>();
    int firstLineEnd = -1;
    for (int[] line : lines(text, start, end)) {
      if (firstLineEnd < 0) {
        firstLineEnd = line[1];
      }
      int from = line[0];
      String s = text.substring(line[0], line[1]);
      int at;
      while ((at = s.indexOf(", ", from - line[0])) >= 0) {
        addTrimmed(text, pieces, from, line[0] + at);
        from = line[0] + at + 2;
      }
      addTrimmed(text, pieces, from, line[1]);
    }
    List<PiiEntity> out = new ArrayList<>();
    boolean afterState = false;
    for (int k = 0; k < pieces.size(); k++) {
      int a = pieces.get(k)[0];
      int b = pieces.get(k)[1];
      String piece = text.substring(a, b);
      if (k == 0) {
        street(text, a, b, score, out);
        continue;
      }
      if (k == 1 && b <= firstLineEnd && HOUSE_NUMBER.matcher(piece).matches()) {
        // "Via Roma, 10", "Calle de Alcalá, 48": the house number written after the street
        PiiEntity streetPiece = out.remove(out.size() - 1);
        out.add(entity(text, ADDRESS, streetPiece.start(), b, score));
        continue;
      }
      if (SECONDARY.matcher(piece).matches()) {
        out.add(entity(text, ADDRESS, a, b, score));
        continue;
      }
      if (POSTCODE.matcher(piece).matches()) {
        // {{zipcode}} follows a state in the US-style templates; {{postcode}} follows a country
        out.add(entity(text, afterState ? ZIP : ADDRESS, a, b, score));
        continue;
      }
      Matcher m = CITY_STATE_ZIP.matcher(piece);
      if (m.matches() && isState(m.group(2))) {
        out.add(entity(text, GPE, a, a + m.end(1), score));
        out.add(entity(text, GPE, a + m.start(2), a + m.end(2), score));
        out.add(entity(text, ZIP, a + m.start(3), b, score));
        continue;
      }
      m = PLACE_POSTCODE.matcher(piece);
      if (m.matches()) {
        out.add(entity(text, GPE, a, a + m.end(1), score));
        out.add(entity(text, ADDRESS, a + m.start(2), b, score));
        continue;
      }
      out.add(entity(text, GPE, a, b, score));
      afterState = isState(piece);
    }
    return out;
  }

  /**
   * The street piece: a leading secondary unit ("Apt. 675 62314 Mellemvej 32"), then a leading
   * building number when the rest still has a number of its own (every street name in the data's
   * identity table carries one: "0138 Brisas 6802" is number + street, "90 Whitchurch Road" is a
   * street), then a trailing secondary unit.
   */
  private static void street(String text, int a, int b, double score, List<PiiEntity> out) {
    Matcher sec = SECONDARY.matcher(text).region(a, b);
    if (sec.lookingAt()) {
      out.add(entity(text, ADDRESS, a, sec.end(), score));
      int next = skipSpaces(text, sec.end(), b);
      if (next < b) {
        street(text, next, b, score, out);
      }
      return;
    }
    Matcher num = LEADING_NUMBER.matcher(text).region(a, b);
    if (num.lookingAt()) {
      String rest = text.substring(num.end(), b);
      if (HAS_LETTER.matcher(rest).find() && HAS_DIGIT.matcher(rest).find()) {
        out.add(entity(text, ADDRESS, a, num.end(1), score));
        a = num.end();
      }
    }
    Matcher last = SECONDARY.matcher(text).region(a, b);
    int secStart = -1;
    while (last.find()) {
      secStart = last.end() == b ? last.start() : -1;
    }
    if (secStart > a) {
      int streetEnd = secStart;
      while (streetEnd > a && Character.isWhitespace(text.charAt(streetEnd - 1))) {
        streetEnd--;
      }
      out.add(entity(text, ADDRESS, a, streetEnd, score));
      out.add(entity(text, ADDRESS, secStart, b, score));
    } else {
      out.add(entity(text, ADDRESS, a, b, score));
    }
  }

  /** A state abbreviation ("CO", "SK") or the identity table's empty state, printed "nan". */
  static boolean isState(String s) {
    return s.equals("nan") || (s.length() <= 3 && s.chars().allMatch(Character::isUpperCase));
  }

  /**
   * The non-empty lines of {@code [start, end)}, each without surrounding spaces, commas and the
   * quoting prefixes ("&gt;", "???") some templates put before every line; offsets {from, to}.
   */
  static List<int[]> lines(String text, int start, int end) {
    List<int[]> out = new ArrayList<>();
    int from = start;
    while (from <= end) {
      int nl = text.indexOf('\n', from);
      int to = nl < 0 || nl > end ? end : nl;
      int a = from;
      int b = to;
      while (a < b
          && (Character.isWhitespace(text.charAt(a)) || ",>?".indexOf(text.charAt(a)) >= 0)) {
        a++;
      }
      while (b > a && (Character.isWhitespace(text.charAt(b - 1)) || text.charAt(b - 1) == ',')) {
        b--;
      }
      if (a < b) {
        out.add(new int[] {a, b});
      }
      from = to + 1;
    }
    return out;
  }

  private static void addTrimmed(String text, List<int[]> pieces, int a, int b) {
    while (a < b && Character.isWhitespace(text.charAt(a))) {
      a++;
    }
    while (b > a && Character.isWhitespace(text.charAt(b - 1))) {
      b--;
    }
    if (a < b) {
      pieces.add(new int[] {a, b});
    }
  }

  private static int skipSpaces(String text, int i, int end) {
    while (i < end && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  static PiiEntity entity(String text, String type, int start, int end, double score) {
    return PiiEntity.of(text, type, start, end, score, PiiEntity.Origin.MODEL);
  }
}
