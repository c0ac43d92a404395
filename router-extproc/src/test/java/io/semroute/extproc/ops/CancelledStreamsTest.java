package io.semroute.extproc.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.pipeline.RequestSummary;
import io.semroute.extproc.pipeline.RouterSnapshots;
import io.semroute.extproc.server.RouterServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Faults: clients that go away mid-stream, thousands of times, leave nothing behind. Every
 * cancelled stream is finished (its request record says cancelled), and no thread started during
 * the run outlives it (after a warm-up at the same concurrency).
 */
class CancelledStreamsTest {
  private static boolean pooled(String thread) {
    return thread.startsWith(GRPC_EXECUTOR) || thread.startsWith(SERVER_POOL);
  }

  private static final int CLIENTS = 16;
  private static final String GRPC_EXECUTOR = "grpc-default-executor";

  /** The server's bounded worker pool (RouterServer): idle threads also live 60 s. */
  private static final String SERVER_POOL = "ext-proc-";

  private static final String BODY =
      "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the derivative of x^3?\"}]}";

  @Test
  void cancelledStreamsLeaveNoThreadsOrOpenRequestsBehind() throws Exception {
    RouterConfig cfg = TestConfigs.sample();
    ConcurrentLinkedQueue<RequestSummary> records = new ConcurrentLinkedQueue<>();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try (RouterServer router =
        RouterServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            RouterSnapshots.keywordOnly(cfg),
            ThreadLocalRandom::current,
            records::add)) {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", router.grpcPort())
              .usePlaintext()
              .directExecutor()
              .build();
      try {
        int warmUp = 300;
        int measured = Integer.getInteger("semroute.cancelledStreams", 3000);
        cancelMany(channel, clients, warmUp);
        awaitRecords(records, warmUp);
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        cancelMany(channel, clients, measured);
        awaitRecords(records, warmUp + measured);
        // Other tests in this JVM start and stop threads of their own: compare thread sets and
        // name whatever is new. grpc's shared executor is a cached pool: it may add idle threads
        // (reaped after 60 s) up to the calls in flight, which the concurrency bounds; a leak
        // would grow with the 3,000 streams instead.
        List<String> added = List.of();
        for (int i = 0; i < 50; i++) {
          added = newThreads(before);
          if (added.stream().filter(n -> !pooled(n)).count() <= 3) {
            break;
          }
          Thread.sleep(100);
        }
        long grpcExecutor =
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(GRPC_EXECUTOR))
                .count();
        System.out.printf(
            "cancelled streams: %d (after %d warm-up), live threads %d before, %d grpc executor "
                + "threads after, new since: %s%n",
            measured, warmUp, before.size(), grpcExecutor, added);
        assertThat(records).hasSize(warmUp + measured);
        assertThat(records).allMatch(RequestSummary::cancelled);
        // A little slack for JVM housekeeping threads.
        assertThat(added.stream().filter(n -> !pooled(n)))
            .as("threads started during the cancelled streams and still alive")
            .hasSizeLessThanOrEqualTo(3);
        assertThat(grpcExecutor)
            .as("grpc executor threads, bounded by the concurrency")
            .isLessThanOrEqualTo(4 * CLIENTS);
        long serverPool =
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(SERVER_POOL))
                .count();
        assertThat(serverPool)
            .as("server worker threads, bounded by max_in_flight + a few per core")
            .isLessThanOrEqualTo(
                cfg.listeners().maxInFlight()
                    + Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
  }

  /**
   * n streams, each cancelled by the client at a different point: after headers, mid-body,
   * mid-response.
   */
  private static void cancelMany(ManagedChannel channel, ExecutorService clients, int n)
      throws Exception {
    List<Future<?>> done = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int where = i % 4;
      done.add(
          clients.submit(
              () -> {
                RawExtProcStream s = new RawExtProcStream(channel);
                s.send(RawExtProcStream.requestHeaders("POST", "/v1/chat/completions"));
                if (where == 1) {
                  s.post(RawExtProcStream.requestBody(BODY)); // gone before the reply
                } else if (where >= 2) {
                  s.send(RawExtProcStream.requestBody(BODY));
                  s.send(RawExtProcStream.responseHeaders(200, "text/event-stream"));
                  if (where == 3) {
                    s.post(RawExtProcStream.responseBody("data: {\"choices\":[]}\n\n"));
                  }
                }
                s.cancel();
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
  }

  private static void awaitRecords(ConcurrentLinkedQueue<RequestSummary> records, int n)
      throws InterruptedException {
    for (int i = 0; i < 1000 && records.size() < n; i++) {
      Thread.sleep(10);
    }
  }

  private static List<String> newThreads(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive())
        .map(Thread::getName)
        .filter(n -> !n.contains("CompilerThread") && !n.equals("Attach Listener"))
        .sorted()
        .toList();
  }
}
