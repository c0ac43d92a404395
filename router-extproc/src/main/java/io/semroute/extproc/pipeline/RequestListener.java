package io.semroute.extproc.pipeline;

/**
 * Told about every finished request, routed or not, with its {@link RequestSummary}. Must be fast
 * and thread-safe.
 */
@FunctionalInterface
public interface RequestListener {
  RequestListener NONE = r -> {};

  void onRequestDone(RequestSummary summary);
}
