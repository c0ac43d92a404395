package io.semroute.classifier.pii;

import io.semroute.classifier.TokenLabel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a token classifier's per-token BIO labels into PII entities, word by word: the sub-word
 * pieces of one word (no gap between their offsets; punctuation tokens stand alone) take the
 * label of the first piece, and
 * consecutive words merge while they continue ({@code I-}) the same type. Reading labels per
 * word stops a model that tags "##ne" differently from "ja" from splitting one name into two.
 *
 * <p>Entities of {@code skipTypes} are dropped: for structured types the recognizers are near
 * exact, while the model tends to mark fragments of long digit strings. Entities whose mean
 * label probability is below {@code minScore} are dropped too.
 */
public final class ModelEntityDecoder {
  private final Set<String> skipTypes;
  private final double minScore;
  private final boolean joinAcrossSeparators;

  public ModelEntityDecoder(Set<String> skipTypes, double minScore) {
    this(skipTypes, minScore, true);
  }

  /**
   * @param joinAcrossSeparators whether a {@code B-} word of the type just ended, after nothing
   *     but separators, continues that entity (see {@link #decode}); off, {@code B-} always starts
   *     a new entity, which a model trained on data that splits "28030 Edeby 55" into a building
   *     number and a street needs
   */
  public ModelEntityDecoder(Set<String> skipTypes, double minScore, boolean joinAcrossSeparators) {
    this.skipTypes = Set.copyOf(skipTypes);
    this.minScore = minScore;
    this.joinAcrossSeparators = joinAcrossSeparators;
  }

  private static final class Word {
    int start;
    int end;
    String label;
    double score;
    boolean punct;
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
      if (current != null && t.start() == current.end && !punct && !current.punct) {
        current.end = t.end();
        continue;
      }
      current = new Word();
      current.punct = punct;
      current.start = t.start();
      current.end = t.end();
      current.label = t.label();
      current.score = t.score();
      words.add(current);
    }
    List<PiiEntity> out = new ArrayList<>();
    String type = null;
    int start = 0;
    int end = 0;
    double scoreSum = 0;
    int count = 0;
    for (Word w : words) {
      String label = w.label;
      boolean outside = label.equals("O") || label.length() < 3 || label.charAt(1) != '-';
      String ty = outside ? null : label.substring(2);
      // Same type again after nothing but spaces, line breaks or commas: one entity (multi-line
      // addresses, "Jane Roe" tagged B B). Words between ("Jane and Bob") keep them apart.
      boolean continues = type != null && ty != null && ty.equals(type)
          && (label.charAt(0) == 'I' || (joinAcrossSeparators && onlySeparators(text, end, w.start)));
      if (!continues && type != null) {
        emit(out, text, type, start, end, scoreSum / count);
        type = null;
      }
      if (ty == null) {
        continue;
      }
      if (type == null) {
        type = ty;
        start = w.start;
        scoreSum = 0;
        count = 0;
      }
      end = w.end;
      scoreSum += w.score;
      count++;
    }
    if (type != null) {
      emit(out, text, type, start, end, scoreSum / count);
    }
    return out;
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

  private void emit(List<PiiEntity> out, String text, String type, int start, int end, double score) {
    if (skipTypes.contains(type) || score < minScore || end > text.length()) {
      return;
    }
    out.add(PiiEntity.of(text, type, start, end, Math.min(1.0, Math.max(0.0, score)), PiiEntity.Origin.MODEL));
  }
}
