package io.semroute.classifier.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** E-mail addresses: local part, {@code @}, a dotted host name ending in an alphabetic TLD. */
public final class EmailRecognizer implements PiiRecognizer {
  public static final String TYPE = "EMAIL_ADDRESS";

  private static final Pattern EMAIL =
      Pattern.compile(
          "(?<![\\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@"
              + "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}(?![\\w-])");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<PiiEntity> find(String text) {
    List<PiiEntity> out = new ArrayList<>();
    Matcher m = EMAIL.matcher(text);
    while (m.find()) {
      String local = m.group().substring(0, m.group().indexOf('@'));
      // "a..b@x.com" is not a deliverable address; dots may not repeat or end the local part.
      if (local.contains("..") || local.endsWith(".")) {
        continue;
      }
      out.add(PiiEntity.of(text, TYPE, m.start(), m.end(), 0.95, PiiEntity.Origin.PATTERN));
    }
    return out;
  }
}
