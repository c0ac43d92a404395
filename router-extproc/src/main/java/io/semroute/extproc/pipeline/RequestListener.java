package io.semroute.extproc.pipeline;

/** Told about every finished request. Must be fast and thread-safe. */
@FunctionalInterface
public interface RequestListener {
  RequestListener NONE = r -> {};

  void onRequestDone(RequestRecord record);
}
