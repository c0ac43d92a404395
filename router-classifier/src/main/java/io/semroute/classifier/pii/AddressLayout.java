package io.semroute.classifier.pii;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the model's address output follow ONE of the data set's two labelling conventions per
 * address. Templates with {@code {{address}}} label a whole postal address, line breaks and all,
 * as one STREET_ADDRESS; templates spelling out the parts label the building number, the street,
 * the secondary address and the postcode as separate STREET_ADDRESS spans and city / country as
 * GPE. A token head that sees three tokens at a time mixes the two inside one address (cuts a
 * whole address at its city, or keeps "28030 Edeby 55" as one span), which no convention labels.
 *
 * <p>The rule, per run of adjacent address-like model entities (STREET_ADDRESS, GPE, ZIP_CODE
 * separated only by spaces, line breaks or commas): if one of its STREET_ADDRESS pieces already
 * spans a line break or a ", " the model has read a whole address, so the run becomes one
 * STREET_ADDRESS; otherwise the parts convention holds, and a STREET_ADDRESS that starts with a
 * bare number followed by a word is split into the building number and the street.
 */
public final class AddressLayout {
  static final String ADDRESS = "STREET_ADDRESS";
  private static final Set<String> PARTS = Set.of(ADDRESS, "GPE", "ZIP_CODE");
  private static final Pattern BUILDING = Pattern.compile("(\\d+)\\s+(?=[^\\n]*\\p{L})");

  private AddressLayout() {}

  /** The model's entities with each address run made consistent; other entities unchanged. */
  public static List<PiiEntity> apply(String text, List<PiiEntity> entities) {
    List<PiiEntity> sorted = new ArrayList<>(entities);
    sorted.sort(Comparator.comparingInt(PiiEntity::start).thenComparingInt(PiiEntity::end));
    List<PiiEntity> out = new ArrayList<>();
    int i = 0;
    while (i < sorted.size()) {
      int j = i + 1;
      if (PARTS.contains(sorted.get(i).type())) {
        while (j < sorted.size() && PARTS.contains(sorted.get(j).type())
            && separatorsOnly(text, sorted.get(j - 1).end(), sorted.get(j).start())) {
          j++;
        }
      }
      List<PiiEntity> run = sorted.subList(i, j);
      i = j;
      boolean hasAddress = run.stream().anyMatch(e -> e.type().equals(ADDRESS));
      if (!hasAddress) {
        out.addAll(run);
      } else if (run.stream().anyMatch(e -> e.type().equals(ADDRESS) && wholeAddress(e.text()))) {
        if (run.size() == 1) {
          out.add(run.get(0));
        } else {
          double score = run.stream().mapToDouble(PiiEntity::score).average().orElse(0);
          out.add(PiiEntity.of(text, ADDRESS, run.get(0).start(), run.get(run.size() - 1).end(), score,
              PiiEntity.Origin.MODEL));
        }
      } else {
        for (PiiEntity e : run) {
          Matcher m = BUILDING.matcher(e.text());
          if (e.type().equals(ADDRESS) && m.lookingAt()) {
            out.add(PiiEntity.of(text, ADDRESS, e.start(), e.start() + m.end(1), e.score(), PiiEntity.Origin.MODEL));
            out.add(PiiEntity.of(text, ADDRESS, e.start() + m.end(), e.end(), e.score(), PiiEntity.Origin.MODEL));
          } else {
            out.add(e);
          }
        }
      }
    }
    return out;
  }

  private static boolean wholeAddress(String covered) {
    return covered.indexOf('\n') >= 0 || covered.contains(", ");
  }

  private static boolean separatorsOnly(String text, int from, int to) {
    if (to < from) {
      return false;
    }
    for (int k = from; k < to; k++) {
      char c = text.charAt(k);
      if (!Character.isWhitespace(c) && c != ',') {
        return false;
      }
    }
    return true;
  }
}
