package io.semroute.classifier.batch;

import io.semroute.classifier.text.TokenizedText;
import java.util.List;

/** What every head of a {@link BatchedEncoder} said about one text. */
public final class HeadOutputs {
  private final TokenizedText text;
  private final List<SharedHead<?>> heads;
  private final Object[] results;

  HeadOutputs(TokenizedText text, List<SharedHead<?>> heads, Object[] results) {
    this.text = text;
    this.heads = heads;
    this.results = results;
  }

  /** The text as the encoder saw it (after truncation). */
  public TokenizedText text() {
    return text;
  }

  @SuppressWarnings("unchecked") // the head's type parameter is the type its function returned
  public <R> R get(SharedHead<R> head) {
    int i = heads.indexOf(head);
    if (i < 0) {
      throw new IllegalArgumentException(head + " is not a head of this batcher " + heads);
    }
    return (R) results[i];
  }
}
