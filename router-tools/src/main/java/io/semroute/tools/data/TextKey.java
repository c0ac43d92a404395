package io.semroute.tools.data;

import java.util.Locale;

/** A normalised form of a text for de-duplication across data sets (case and spacing ignored). */
public final class TextKey {
  private TextKey() {}

  public static String of(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
  }
}
