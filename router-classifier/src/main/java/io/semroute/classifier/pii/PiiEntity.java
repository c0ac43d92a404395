package io.semroute.classifier.pii;

import java.util.Objects;

/**
 * One detected piece of personal data: a Presidio-style type name, character offsets into the
 * original text ({@code end} exclusive), the covered text, a score in [0, 1] and where it came
 * from. The origin matters when entities from several detectors overlap (see {@link EntityMerger}).
 */
public record PiiEntity(String type, int start, int end, String text, double score, Origin origin) {

  /** Who produced an entity; ordered from most to least trusted for structured data. */
  public enum Origin {
    /**
     * A pattern whose match also passed a checksum or structural validation (Luhn, mod-97, octets).
     */
    VALIDATED_PATTERN,
    /** A pattern match with no checksum to confirm it. */
    PATTERN,
    /** A token-classification model (BIO tags). */
    MODEL
  }

  public PiiEntity {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(origin, "origin");
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ") for " + type);
    }
    if (score < 0 || score > 1) {
      throw new IllegalArgumentException("score out of [0,1]: " + score);
    }
  }

  /** Builds an entity whose text is cut from {@code source}. */
  public static PiiEntity of(
      String source, String type, int start, int end, double score, Origin origin) {
    return new PiiEntity(type, start, end, source.substring(start, end), score, origin);
  }

  public int length() {
    return end - start;
  }

  public boolean overlaps(PiiEntity other) {
    return start < other.end && other.start < end;
  }
}
