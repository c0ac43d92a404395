package io.semroute.classifier.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Runs every deterministic recognizer and merges their matches into one non-overlapping list. */
public final class PatternPiiDetector {

  private final List<PiiRecognizer> recognizers;

  public PatternPiiDetector(List<PiiRecognizer> recognizers) {
    this.recognizers = List.copyOf(recognizers);
  }

  /** The built-in recognizers for the structured types. */
  public static PatternPiiDetector defaults() {
    return new PatternPiiDetector(
        List.of(
            new EmailRecognizer(),
            new CreditCardRecognizer(),
            new IbanRecognizer(),
            new UsSsnRecognizer(),
            new IpAddressRecognizer(),
            new UrlRecognizer(),
            new PhoneRecognizer()));
  }

  /** Entity types these recognizers can produce. */
  public Set<String> types() {
    Set<String> types = new TreeSet<>();
    for (PiiRecognizer r : recognizers) {
      types.add(r.type());
    }
    return types;
  }

  public List<PiiEntity> detect(String text) {
    List<PiiEntity> all = new ArrayList<>();
    for (PiiRecognizer r : recognizers) {
      all.addAll(r.find(text));
    }
    return EntityMerger.merge(all);
  }

  /** Recognizer matches merged with model entities (see {@link EntityMerger} for the policy). */
  public List<PiiEntity> detect(String text, List<PiiEntity> modelEntities) {
    List<PiiEntity> all = new ArrayList<>();
    for (PiiRecognizer r : recognizers) {
      all.addAll(r.find(text));
    }
    return EntityMerger.merge(all, modelEntities);
  }
}
