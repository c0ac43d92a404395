package io.semroute.classifier.pii;

import io.semroute.classifier.TokenLabel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a token classifier's per-token BIO labels into PII entities, word by word: the sub-word
 * pieces of one word (no gap between their offsets; punctuation tokens stand alone) take the label
 * of the first piece, and consecutive words merge while they continue ({@code I-}); the entity's
 * type is the one with the most probability summed over all its pieces. Reading labels per word and
 * voting the type per entity stop a model that tags "##ne" differently from "ja", or "port" as GPE
 * inside "Homero Portillo", from splitting one name into pieces.
 *
 * <p>Entities of {@code skipTypes} are dropped: for structured types the recognizers are near
 * exact, while the model tends to mark fragments of long digit strings. Entities whose mean label
 * probability is below {@code minScore} are dropped too.
 */
public final class ModelEntityDecoder {
  private final Set<String> skipTypes;
  private final double minScore;
  private final Set<String> joinTypes;
  private final boolean shapes;
  private final boolean addressLayout;

  /**
   * The serving decoder: B- joins for PERSON only, boundary rules, one address convention per
   * address.
   */
  public ModelEntityDecoder(Set<String> skipTypes, double minScore) {
    this(skipTypes, minScore, SERVING_JOIN_TYPES, true, true);
  }

  /**
   * Types whose {@code B-} after separators continues the open entity in serving: PERSON only
   * ("Jane Roe" tagged B B). For addresses it merged what the data set labels as separate spans
   * ("28030" "Edeby 55"): template-level cross-validation STREET_ADDRESS F1 0.34 joined, 0.42 not.
   */
  public static final Set<String> SERVING_JOIN_TYPES = Set.of("PERSON");

  /**
   * @param joinAcrossSeparators whether a {@code B-} word of the type just ended, after nothing but
   *     separators, continues that entity (see {@link #decode}); off, {@code B-} always starts a
   *     new entity, which a model trained on data that splits "28030 Edeby 55" into a building
   *     number and a street needs
   */
  public ModelEntityDecoder(Set<String> skipTypes, double minScore, boolean joinAcrossSeparators) {
    this(skipTypes, minScore, joinAcrossSeparators ? null : Set.of(), false, false);
  }

  /**
   * @param joinTypes types for which a {@code B-} word after nothing but separators continues the
   *     open entity of that type (null = every type, empty = strict BIO)
   * @param shapes whether entities are cut to the data set's boundary conventions ({@link
   *     EntityShapes}) and entities that cannot be what their type says are dropped ({@link
   *     EntityEvidence})
   * @param addressLayout whether each address follows one labelling convention ({@link
   *     AddressLayout})
   */
  public ModelEntityDecoder(
      Set<String> skipTypes,
      double minScore,
      Set<String> joinTypes,
      boolean shapes,
      boolean addressLayout) {
    this.skipTypes = Set.copyOf(skipTypes);
    this.minScore = minScore;
    this.joinTypes = joinTypes == null ? null : Set.copyOf(joinTypes);
    this.shapes = shapes;
    this.addressLayout = addressLayout;
  }

  private static final class Word {
    int start;
    int end;
    String label;
    double score;
    boolean punct;

    /** Entity type to summed probability over the word's pieces. */
    final Map<String, Double> votes = new HashMap<>();
  }

  private static final class Segment {
    int start;
    int end;
    double scoreSum;
    int count;
    final Map<String, Double> votes = new HashMap<>();

    String type() {
      return votes.entrySet().stream()
          .max(Map.Entry.comparingByValue())
          .map(Map.Entry::getKey)
          .orElseThrow();
    }
  }

  public List<PiiEntity> decode(String text, List<TokenLabel> tokens) {
    List<Word> words = new ArrayList<>();
    Word current = null;
    for (TokenLabel t : tokens) {
      if (t.start() < 0 || t.end() <= t.start()) {
        continue;
      }
      boolean punct = punctuation(text, t.start(), t.end());
      // Punctuation is a word of its own even when glued on ("Marshall," "will." "Matej's"),
      // so an entity ends before a trailing comma unless the model labels the comma inside it.
      if (current == null || t.start() != current.end || punct || current.punct) {
        current = new Word();
        current.start = t.start();
        current.label = t.label();
        current.score = t.score();
        current.punct = punct;
        words.add(current);
      }
      current.end = t.end();
      String ty = typeOf(t.label());
      if (ty != null) {
        current.votes.merge(ty, (double) t.score(), Double::sum);
      }
    }
    List<PiiEntity> out = new ArrayList<>();
    Segment seg = null;
    for (Word w : words) {
      String ty = typeOf(w.label);
      if (ty == null) {
        emit(out, text, seg);
        seg = null;
        continue;
      }
      // I- continues the open entity whatever its type: the type is voted over the whole span
      // below, so a name whose pieces flip between PERSON and GPE stays one name. B- of the
      // open entity's type after nothing but spaces, line breaks or commas continues it too
      // (multi-line addresses, "Jane Roe" tagged B B); words between ("Jane and Bob") keep
      // entities apart.
      boolean continues =
          seg != null
              && (w.label.charAt(0) == 'I'
                  || (joins(ty)
                      && ty.equals(seg.type())
                      && onlySeparators(text, seg.end, w.start)));
      if (!continues) {
        emit(out, text, seg);
        seg = new Segment();
        seg.start = w.start;
      }
      seg.end = w.end;
      seg.scoreSum += w.score;
      seg.count++;
      Segment open = seg;
      w.votes.forEach((k, v) -> open.votes.merge(k, v, Double::sum));
    }
    emit(out, text, seg);
    List<PiiEntity> laidOut = addressLayout ? AddressLayout.apply(text, out) : out;
    return shapes ? EntityEvidence.filter(text, laidOut) : laidOut;
  }

  private boolean joins(String type) {
    return joinTypes == null || joinTypes.contains(type);
  }

  private static String typeOf(String label) {
    boolean outside = label.equals("O") || label.length() < 3 || label.charAt(1) != '-';
    return outside ? null : label.substring(2);
  }

  private static boolean punctuation(String text, int from, int to) {
    for (int i = from; i < to && i < text.length(); i++) {
      if (Character.isLetterOrDigit(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean onlySeparators(String text, int from, int to) {
    for (int i = from; i < to && i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c) && c != ',') {
        return false;
      }
    }
    return true;
  }

  private void emit(List<PiiEntity> out, String text, Segment seg) {
    if (seg == null) {
      return;
    }
    String type = seg.type();
    double score = seg.scoreSum / seg.count;
    if (skipTypes.contains(type) || score < minScore || seg.end > text.length()) {
      return;
    }
    // Cut to the data set's boundary conventions (a name ends before the next line, its
    // honorific is a TITLE of its own, no entity starts with punctuation).
    for (EntityShapes.Piece p :
        shapes
            ? EntityShapes.refine(text, type, seg.start, seg.end)
            : List.of(new EntityShapes.Piece(type, seg.start, seg.end))) {
      if (!skipTypes.contains(p.type())) {
        out.add(
            PiiEntity.of(
                text,
                p.type(),
                p.start(),
                p.end(),
                Math.min(1.0, Math.max(0.0, score)),
                PiiEntity.Origin.MODEL));
      }
    }
  }
}
