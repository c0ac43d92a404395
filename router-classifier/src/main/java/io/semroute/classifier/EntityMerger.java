package io.semroute.classifier;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns per-token labels into entity spans. Tags follow BIO (also accepting IOBES/BILOU prefixes):
 * {@code B-X} starts a span of type X, {@code I-X}/{@code E-X}/{@code L-X} continue a span of type
 * X (or start one if the previous token was another type), {@code S-X}/{@code U-X} are single-token
 * spans, {@code O} is outside. Labels without a prefix merge while equal.
 */
final class EntityMerger {
  private EntityMerger() {}

  static List<Entity> merge(String text, List<TokenLabel> tokens) {
    List<Entity> out = new ArrayList<>();
    String type = null;
    int start = -1;
    int end = -1;
    double scoreSum = 0;
    int count = 0;
    for (TokenLabel t : tokens) {
      String label = t.label();
      if (label.equals("O") || t.start() < 0) {
        if (type != null) {
          out.add(entity(text, type, start, end, scoreSum / count));
          type = null;
        }
        continue;
      }
      char prefix = 0;
      String ty = label;
      if (label.length() > 2 && label.charAt(1) == '-' && "BIESLU".indexOf(label.charAt(0)) >= 0) {
        prefix = label.charAt(0);
        ty = label.substring(2);
      }
      boolean continues =
          type != null
              && type.equals(ty)
              && (prefix == 0 || prefix == 'I' || prefix == 'E' || prefix == 'L');
      if (!continues) {
        if (type != null) {
          out.add(entity(text, type, start, end, scoreSum / count));
        }
        type = ty;
        start = t.start();
        scoreSum = 0;
        count = 0;
      }
      end = t.end();
      scoreSum += t.score();
      count++;
      if (prefix == 'S' || prefix == 'U' || prefix == 'E' || prefix == 'L') {
        out.add(entity(text, type, start, end, scoreSum / count));
        type = null;
      }
    }
    if (type != null) {
      out.add(entity(text, type, start, end, scoreSum / count));
    }
    return out;
  }

  private static Entity entity(String text, String type, int start, int end, double score) {
    int s = Math.max(0, Math.min(start, text.length()));
    int e = Math.max(s, Math.min(end, text.length()));
    return new Entity(type, s, e, text.substring(s, e), (float) score);
  }
}
