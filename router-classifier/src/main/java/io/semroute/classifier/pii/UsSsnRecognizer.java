package io.semroute.classifier.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * US Social Security numbers, AAA-GG-SSSS. The SSA never issues area 000, 666 or 900-999, group 00
 * or serial 0000, so those are rejected. Nine bare digits are too ambiguous to accept unless a cue
 * word ("SSN", "social security") precedes them.
 */
public final class UsSsnRecognizer implements PiiRecognizer {
  public static final String TYPE = "US_SSN";

  private static final Pattern SSN =
      Pattern.compile("(?<![\\w+.-])(\\d{3})([- ]?)(\\d{2})\\2(\\d{4})(?![\\w]|[.-]\\d)");
  private static final ContextWords CUES =
      new ContextWords(40, "ssn", "ssns", "social", "security", "ss");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<PiiEntity> find(String text) {
    List<PiiEntity> out = new ArrayList<>();
    Matcher m = SSN.matcher(text);
    while (m.find()) {
      if (!isValid(m.group(1), m.group(3), m.group(4))) {
        continue;
      }
      boolean cue = CUES.before(text, m.start());
      String sep = m.group(2);
      double score;
      if (sep.isEmpty()) {
        if (!cue) {
          continue;
        }
        score = 0.7;
      } else {
        score = cue ? 0.95 : (sep.equals("-") ? 0.85 : 0.5);
      }
      out.add(
          PiiEntity.of(text, TYPE, m.start(), m.end(), score, PiiEntity.Origin.VALIDATED_PATTERN));
    }
    return out;
  }

  /** SSA issuance rules (post-2011 randomisation still never uses these values). */
  static boolean isValid(String area, String group, String serial) {
    int a = Integer.parseInt(area);
    if (a == 0 || a == 666 || a >= 900) {
      return false;
    }
    if (group.equals("00") || serial.equals("0000")) {
      return false;
    }
    // Advertised sample numbers (Woolworth wallet card, SSA pamphlets) are famously invalid.
    String all = area + group + serial;
    return !all.equals("078051120") && !all.equals("219099999") && !all.equals("123456789");
  }
}
