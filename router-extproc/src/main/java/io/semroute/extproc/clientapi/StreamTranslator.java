package io.semroute.extproc.clientapi;

/**
 * Rewrites an SSE answer from one API's events to another's as it passes, chunk by chunk, the way
 * Envoy's STREAMED body mode hands a response body over: chunk boundaries may cut lines (and UTF-8
 * sequences) anywhere. One per stream, fed in order; not thread-safe.
 */
public interface StreamTranslator {
  /**
   * @return the translated bytes to send in place of {@code chunk} (may be empty)
   */
  byte[] accept(byte[] chunk, boolean endOfStream);
}
