package io.semroute.extproc.server;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server opened, closed in the reverse order of opening: a part is closed before the parts
 * it was built on (the gRPC server before the classifiers its streams use). One list serves both a
 * start-up that fails half-way and a normal shutdown, so the two cannot drift apart.
 */
final class Closer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Closer.class);

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /** Registers {@code part} to be closed before everything registered earlier. */
  synchronized <T extends AutoCloseable> T add(T part) {
    opened.push(part);
    return part;
  }

  /**
   * Closes every registered part, newest first. A part that fails to close is logged and the rest
   * are still closed: a shutdown must not leave classifiers or ports open because of one error.
   */
  @Override
  public void close() {
    AutoCloseable part;
    while ((part = next()) != null) {
      try {
        part.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        log.warn("interrupted while closing {}", part, e);
      } catch (Exception e) {
        log.warn("closing {} failed", part, e);
      }
    }
  }

  private synchronized AutoCloseable next() {
    return opened.poll();
  }
}
