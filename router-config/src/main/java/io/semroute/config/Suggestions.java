package io.semroute.config;

import java.util.Collection;
import java.util.Locale;

/**
 * Builds the "valid choices" tail of an error message, with a "did you mean" hint for typos, so a
 * user fixes a misspelt key or name without opening the docs.
 */
final class Suggestions {
  private Suggestions() {}

  /** E.g. {@code "; did you mean 'model_scores'? valid keys: name, description, ..."}. */
  static String validChoices(String given, Collection<String> choices, String label) {
    StringBuilder sb = new StringBuilder();
    String best = closest(given, choices);
    if (best != null) {
      sb.append("; did you mean '").append(best).append("'? ");
    } else {
      sb.append("; ");
    }
    sb.append(
        choices.isEmpty()
            ? "no " + label + " declared"
            : label + ": " + String.join(", ", choices));
    return sb.toString();
  }

  /** The choice within a small edit distance of {@code given}, or null. */
  static String closest(String given, Collection<String> choices) {
    if (given == null) {
      return null;
    }
    String g = given.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : choices) {
      int d = distance(g, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    // Allow roughly one typo per four characters; beyond that the hint is noise.
    int limit = Math.max(1, g.length() / 4);
    return bestDistance > 0 && bestDistance <= limit ? best : null;
  }

  /** Edit distance counting a swap of two neighbours as one typo (optimal string alignment). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
