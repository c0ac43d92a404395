package io.semroute.classifier.batch;

import java.util.List;

/**
 * The computation a {@link MicroBatcher} amortises: one call for many inputs.
 *
 * <p>It must return exactly one output per input, in the same order. It is only ever called from
 * the batcher's worker thread(s), so an implementation may keep per-thread scratch state.
 */
@FunctionalInterface
public interface BatchFunction<I, O> {
  List<O> apply(List<I> inputs) throws Exception;
}
