package io.semroute.tools.bench;

import io.semroute.classifier.text.TokenizedText;
import java.util.List;

/** One model forward pass over a batch of tokenized texts, as the benchmark drives it. */
interface BatchForward extends AutoCloseable {

  /** A short label for the report table. */
  String name();

  /** Runs the batch (padded to its longest member) and returns one output per text. */
  List<?> forward(List<TokenizedText> texts) throws Exception;

  @Override
  default void close() throws Exception {}
}
