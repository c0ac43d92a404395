package io.semroute.classifier.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telephone numbers in international ("+41 (0)96 471 07 95", "+447700 921 916") and national forms
 * ("(579)888-3058", "905-674-3793x12", "03.93.92.16.85", "0490 75 40 81").
 *
 * <p>Digit groups joined by single spaces, dots or dashes, with optional country code, trunk "(0)",
 * area code in brackets and extension. 7 to 15 digits (ITU E.164 maximum; 6 with a cue word).
 * Shapes that belong to other things are refused: SSNs (3-2-4), ISO/European dates, dotted quads. A
 * bare digit run needs 10-11 digits or a cue word ("phone", "call", "fax"...) before it. Scores
 * rise with cue words and with formatting that only phone numbers use (+, brackets).
 */
public final class PhoneRecognizer implements PiiRecognizer {
  public static final String TYPE = "PHONE_NUMBER";

  private static final Pattern PHONE =
      Pattern.compile(
          "(?<![\\w+.\\-/:$€£¥])"
              + "(?:\\+\\d{1,3}[ .-]?)?"
              + "(?:\\(0\\)[ .-]?)?"
              + "(?:\\(\\d{1,4}\\)[ .-]?)?"
              + "\\d{1,12}(?:[ .-]\\d{1,8}){0,6}"
              + "(?:[ ]?(?:x|ext\\.?|ext)[ ]?\\d{1,6})?"
              + "(?![\\w%°]|[.\\-:/,]\\d)");
  private static final Pattern SSN_SHAPE = Pattern.compile("\\d{3}-\\d{2}-\\d{4}");
  private static final Pattern DATE_SHAPE =
      Pattern.compile(
          "(?:19|20)\\d{2}[-.](?:0?[1-9]|1[0-2])[-.]\\d{1,2}|\\d{1,2}[-.]\\d{1,2}[-.](?:19|20)\\d{2}");
  private static final Pattern EXTENSION = Pattern.compile("[ ]?(?:x|ext\\.?)[ ]?\\d{1,6}$");
  private static final Pattern YEAR_RANGE_SHAPE =
      Pattern.compile("(?:1[5-9]|20)\\d{2}-(?:1[5-9]|20)\\d{2}");
  private static final Pattern POSTCODE_SHAPE = Pattern.compile("\\d{5}-\\d{3,4}");
  private static final ContextWords CUES =
      new ContextWords(
          30,
          "phone",
          "telephone",
          "tel",
          "call",
          "calling",
          "called",
          "fax",
          "mobile",
          "cell",
          "cellphone",
          "desk",
          "text",
          "sms",
          "whatsapp",
          "contact",
          "reach",
          "dial",
          "messages",
          "landline",
          "ph",
          "mob",
          "hotline",
          "answering",
          "phones");
  // "number" alone is a phone cue only when no other kind of identifier is named ("license
  // number").
  private static final ContextWords NUMBER_CUE =
      new ContextWords(20, "number", "numbers", "no", "nr");
  // Numbers right after these are identifiers of another kind, unless a phone cue is also there.
  private static final ContextWords OTHER_ID_CUES =
      new ContextWords(
          30,
          true,
          "license",
          "licence",
          "passport",
          "account",
          "order",
          "invoice",
          "zip",
          "postal",
          "postcode",
          "cep",
          "id",
          "reference",
          "ref",
          "tracking",
          "isbn",
          "serial",
          "apt",
          "suite",
          "unit",
          "box");
  // Words that label a phone number when they follow it ("416 60 039 office").
  private static final Set<String> TRAILING_LABELS =
      Set.of(
          "office",
          "fax",
          "mobile",
          "cell",
          "home",
          "work",
          "desk",
          "phone",
          "tel",
          "ext",
          "extension",
          "or",
          "and",
          "to",
          "is",
          "if",
          "for",
          "anytime",
          "any");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<PiiEntity> find(String text) {
    List<PiiEntity> out = new ArrayList<>();
    Matcher m = PHONE.matcher(text);
    while (m.find()) {
      String s = m.group();
      String main = EXTENSION.matcher(s).replaceFirst("");
      int digits = countDigits(main);
      if (digits < 6 || digits > 15) {
        continue;
      }
      if (SSN_SHAPE.matcher(main).matches()
          || DATE_SHAPE.matcher(main).matches()
          || POSTCODE_SHAPE.matcher(main).matches()
          || YEAR_RANGE_SHAPE.matcher(main).matches()
          || IpAddressRecognizer.isIpv4(main)) {
        continue;
      }
      boolean plus = main.startsWith("+");
      boolean brackets = main.indexOf('(') >= 0;
      int groups = main.replaceAll("\\(0\\)", "").split("[ .\\-()]+").length;
      if (!consistentBody(main)) {
        continue;
      }
      boolean otherId = OTHER_ID_CUES.before(text, m.start());
      boolean cue =
          CUES.before(text, m.start()) || (!otherId && NUMBER_CUE.before(text, m.start()));
      if (otherId && !CUES.before(text, m.start())) {
        continue;
      }
      if (digits == 6 && !(groups >= 3 && (cue || followedByLabel(text, m.end())))) {
        // Six-digit numbers exist (Greenland "84 23 30") but only a cue tells them from codes.
        continue;
      }
      if (!cue && !plus && !brackets && followedByWord(text, m.end())) {
        // "lives at 370 3911 Fourth Avenue": house and street numbers, not a phone.
        continue;
      }
      boolean bareRun = groups == 1 && !plus;
      if (bareRun && !cue && (digits < 10 || digits > 11)) {
        continue;
      }
      double score;
      if (plus || brackets) {
        score = cue ? 0.95 : 0.85;
      } else if (bareRun) {
        score = cue ? 0.7 : 0.4;
      } else {
        score = cue ? 0.85 : 0.6;
      }
      out.add(PiiEntity.of(text, TYPE, m.start(), m.end(), score, PiiEntity.Origin.PATTERN));
    }
    return out;
  }

  /** True when a space and a word that does not label phone numbers come right after. */
  private static boolean followedByWord(String text, int end) {
    if (end + 1 >= text.length()
        || text.charAt(end) != ' '
        || !Character.isLetter(text.charAt(end + 1))) {
      return false;
    }
    int wordEnd = end + 1;
    while (wordEnd < text.length() && Character.isLetter(text.charAt(wordEnd))) {
      wordEnd++;
    }
    return !TRAILING_LABELS.contains(text.substring(end + 1, wordEnd).toLowerCase(Locale.ROOT));
  }

  /**
   * Phone numbers use one separator kind between their national digit groups and have at most five
   * of them; tables of figures ("1 1.10 1.22 1.31", "10 10 10 10 10 30 25") do not.
   */
  private static boolean consistentBody(String main) {
    String body =
        main.replaceFirst("^\\+\\d{1,3}[ .-]?", "").replaceAll("\\(\\d{0,4}\\)[ .-]?", "");
    String seps = body.replaceAll("\\d", "");
    if (seps.chars().distinct().count() > 1) {
      return false;
    }
    int groups = body.split("[ .-]").length;
    // Two dot-separated groups are a decimal number ("238.0508"); dotted phones have 3 or more.
    if (seps.startsWith(".") && groups < 3) {
      return false;
    }
    return groups <= 5;
  }

  private static boolean followedByLabel(String text, int end) {
    return end + 1 < text.length()
        && text.charAt(end) == ' '
        && Character.isLetter(text.charAt(end + 1))
        && !followedByWord(text, end);
  }

  private static int countDigits(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        n++;
      }
    }
    return n;
  }
}
