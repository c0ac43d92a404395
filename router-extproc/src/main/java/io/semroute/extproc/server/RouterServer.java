package io.semroute.extproc.server;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server: ext_proc plus {@code grpc.health.v1.Health}. Health says NOT_SERVING for the
 * ext_proc service until {@link #markServing()} — callers flip it only once config and
 * classifiers are loaded, so Envoy's health checks never send traffic to a router still warming up.
 */
public final class RouterServer implements AutoCloseable {
  /**
   * Envoy BUFFERED bodies arrive in one gRPC message; grpc-java's 4 MiB default would reject
   * long prompts. Sized above the 50 MiB Envoy buffer limit in deploy/envoy/envoy.yaml plus
   * protobuf framing.
   */
  public static final int MAX_INBOUND_MESSAGE_BYTES = 64 * 1024 * 1024;

  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();
  private volatile boolean serving;

  public RouterServer(InetSocketAddress address, ExtProcService service) {
    health.setStatus(ExtProcService.SERVICE_NAME, ServingStatus.NOT_SERVING);
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
    this.server =
        NettyServerBuilder.forAddress(address)
            .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
            // Envoy keeps long-lived HTTP/2 connections and may ping them.
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .addService(service)
            .addService(health.getHealthService())
            .build();
  }

  public RouterServer start() throws IOException {
    server.start();
    return this;
  }

  /** The bound port (useful when started on port 0). */
  public int port() {
    return server.getPort();
  }

  public boolean isServing() {
    return serving;
  }

  public void markServing() {
    serving = true;
    health.setStatus(ExtProcService.SERVICE_NAME, ServingStatus.SERVING);
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stop taking streams, let open ones finish for a grace period, then cut the rest. */
  @Override
  public void close() {
    serving = false;
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
