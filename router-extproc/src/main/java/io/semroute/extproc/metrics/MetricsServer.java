package io.semroute.extproc.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;

/** Serves {@link RouterMetrics} on {@code listeners.metrics_port} at {@code /metrics}. */
public final class MetricsServer implements AutoCloseable {
  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  public static MetricsServer start(int port, RouterMetrics metrics) throws IOException {
    return new MetricsServer(
        HTTPServer.builder().port(port).registry(metrics.registry()).buildAndStart());
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
