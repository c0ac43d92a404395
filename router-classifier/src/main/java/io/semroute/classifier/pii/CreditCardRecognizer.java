package io.semroute.classifier.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payment card numbers: 12 to 19 digits written contiguously or in the usual printed groups
 * (4-4-4-4[-1..3], 4-6-5, 4-6-4), which must pass the Luhn check. Requiring card-like grouping
 * keeps phone numbers such as "21 284 698 2548" out even when they pass Luhn by chance (1 in 10).
 */
public final class CreditCardRecognizer implements PiiRecognizer {
  public static final String TYPE = "CREDIT_CARD";

  private static final Pattern CARD =
      Pattern.compile(
          "(?<![\\w+.-])(?:"
              + "\\d{12,19}"
              + "|\\d{4}([ -])\\d{4}\\1\\d{4}\\1\\d{4}(?:\\1\\d{1,3})?"
              + "|\\d{4}([ -])\\d{6}\\2\\d{4,5}"
              + ")(?![\\w]|[.-]\\d)");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<PiiEntity> find(String text) {
    List<PiiEntity> out = new ArrayList<>();
    Matcher m = CARD.matcher(text);
    while (m.find()) {
      String digits = m.group().replaceAll("[^0-9]", "");
      if (digits.length() < 12
          || digits.length() > 19
          || allSame(digits)
          || !Luhn.isValid(digits)) {
        continue;
      }
      out.add(
          PiiEntity.of(text, TYPE, m.start(), m.end(), 1.0, PiiEntity.Origin.VALIDATED_PATTERN));
    }
    return out;
  }

  private static boolean allSame(String digits) {
    return digits.chars().allMatch(c -> c == digits.charAt(0));
  }
}
