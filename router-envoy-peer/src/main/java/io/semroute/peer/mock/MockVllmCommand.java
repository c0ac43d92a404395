package io.semroute.peer.mock;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mock-vllm}: an OpenAI-compatible fake vLLM for docker-compose and manual tests. */
@Command(
    name = "mock-vllm",
    mixinStandardHelpOptions = true,
    description = "Run an OpenAI-compatible mock vLLM server (JSON and SSE, with usage).")
public final class MockVllmCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8000", description = "Port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "0.0.0.0",
      description = "Bind address (default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--models",
      required = true,
      split = ",",
      description = "Models served, comma-separated.")
  List<String> models;

  @Option(
      names = "--name",
      description = "Instance name reported in x-mock-instance (default: host name).")
  String name;

  @Option(
      names = "--chunks",
      defaultValue = "8",
      description = "Content chunks per SSE answer (default ${DEFAULT-VALUE}).")
  int chunks;

  @Override
  public Integer call() throws Exception {
    String instance = name != null ? name : InetAddress.getLocalHost().getHostName();
    MockVllmServer server =
        new MockVllmServer(new InetSocketAddress(host, port), instance, models, chunks).start();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stop.countDown();
                }));
    System.out.printf("mock-vllm %s serving %s on %s:%d%n", instance, models, host, server.port());
    stop.await();
    return 0;
  }
}
