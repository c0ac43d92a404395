package io.semroute.tools.data;

import java.util.List;

/** A text with its gold entity spans; {@code templateId} is -1 when the data has none. */
public record SpanExample(String text, List<CharSpan> spans, int templateId) {
  public SpanExample {
    spans = List.copyOf(spans);
  }
}
