package io.semroute.classifier.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * International Bank Account Numbers, contiguous or in groups separated by single spaces, in either
 * case. Only strings that pass {@link IbanChecksum} (country length + mod 97) are kept.
 */
public final class IbanRecognizer implements PiiRecognizer {
  public static final String TYPE = "IBAN_CODE";

  // Start of a candidate: two letters and two check digits not glued to a preceding word.
  private static final Pattern START = Pattern.compile("(?<![A-Za-z0-9])[A-Za-z]{2}\\d{2}");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<PiiEntity> find(String text) {
    List<PiiEntity> out = new ArrayList<>();
    Matcher m = START.matcher(text);
    int resumeAt = 0;
    while (m.find(resumeAt)) {
      resumeAt = m.start() + 1;
      int end = scan(text, m.start());
      if (end > 0) {
        out.add(PiiEntity.of(text, TYPE, m.start(), end, 1.0, PiiEntity.Origin.VALIDATED_PATTERN));
        resumeAt = end;
      }
    }
    return out;
  }

  /**
   * Walks from {@code start} collecting the number of characters the country's IBAN needs, allowing
   * single spaces between characters; returns the end offset, or -1 when no valid IBAN starts
   * there. A regex cannot do this alone: grouped IBANs would swallow following words.
   */
  private static int scan(String text, int start) {
    StringBuilder chars = new StringBuilder(34);
    int i = start;
    int bestEnd = -1;
    while (i < text.length() && chars.length() < 34) {
      char c = text.charAt(i);
      if (Character.isLetterOrDigit(c) && c < 128) {
        chars.append(c);
        i++;
        if (chars.length() >= 15 && !isAlnumAt(text, i) && IbanChecksum.isValid(chars)) {
          bestEnd = i;
        }
      } else if (c == ' ' && chars.length() > 0 && isAlnumAt(text, i + 1)) {
        i++;
      } else {
        break;
      }
    }
    return bestEnd;
  }

  private static boolean isAlnumAt(String text, int i) {
    return i < text.length() && Character.isLetterOrDigit(text.charAt(i)) && text.charAt(i) < 128;
  }
}
