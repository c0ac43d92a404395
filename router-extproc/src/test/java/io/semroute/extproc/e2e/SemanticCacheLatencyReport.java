package io.semroute.extproc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.config.SemanticCacheSettings;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.cache.CacheStores;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.EnvoyConfig;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.extproc.server.SnapshotBuilder;
import io.semroute.testkit.RedisServer;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * Not a test: a measurement, run on demand (docs/semantic-cache.md): {@code ./mvnw -B -o -pl
 * router-extproc -am verify -Dtest=SemanticCacheLatencyReport
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsemroute.cacheLatency=true}. Client-side time of one
 * request through the Envoy emulator (real gRPC to the router): exact hit, semantic hit (one MiniLM
 * embedding + the scan), and a miss that goes to the mock vLLM and is stored, for each backend.
 */
class SemanticCacheLatencyReport {
  static final int N = 200;

  @Test
  void printsHitAndMissLatency() throws Exception {
    Assumptions.assumeTrue(
        Boolean.getBoolean("semroute.cacheLatency"),
        "a measurement, not a test: run with -Dsemroute.cacheLatency=true");
    try (ClassifierCache models =
        new ClassifierCache(new ClassifierOpener(BatchPolicy.defaults()))) {
      StringBuilder out =
          new StringBuilder(
              "\nsemantic cache latency, client side through the emulator, "
                  + N
                  + " requests each (p50 / p90 / p99 ms)\n");
      out.append(
          measure(
              models,
              "memory",
              new SemanticCacheSettings(
                  true,
                  SemanticCacheSettings.Backend.MEMORY,
                  SemanticCacheSettings.RedisSettings.DEFAULTS,
                  "x-user-id",
                  false,
                  0.92,
                  3600,
                  10_000,
                  false)));
      RedisServer redis = null;
      try {
        redis = RedisServer.start();
      } catch (TestAbortedException e) {
        out.append("redis: skipped (no redis-server)\n");
      }
      if (redis != null) {
        try (RedisServer r = redis) {
          out.append(
              measure(
                  models,
                  "redis",
                  new SemanticCacheSettings(
                      true,
                      SemanticCacheSettings.Backend.REDIS,
                      new SemanticCacheSettings.RedisSettings("127.0.0.1", r.port(), "lat:", null),
                      "x-user-id",
                      false,
                      0.92,
                      3600,
                      10_000,
                      false)));
        }
      }
      System.out.println(out);
    }
  }

  private static String measure(ClassifierCache models, String name, SemanticCacheSettings s)
      throws Exception {
    try (CacheStores stores = new CacheStores();
        RouterStack stack =
            new RouterStack(
                TestConfigs.withCache(TestConfigs.sample(), s),
                EnvoyConfig.load(),
                new SnapshotBuilder(models, stores, null))) {
      String stored = SemanticCacheEndToEndContract.question("How do I reset my password?", false);
      String paraphrase =
          SemanticCacheEndToEndContract.question("How can I reset my password?", false);
      send(stack, stored);
      for (int i = 0; i < 50; i++) { // warm-up: JIT, gRPC channel, batcher
        send(stack, stored);
        send(stack, paraphrase);
        send(
            stack,
            SemanticCacheEndToEndContract.question("Warm-up question number " + i + "?", false));
      }
      long[] exact = new long[N];
      long[] semantic = new long[N];
      long[] miss = new long[N];
      for (int i = 0; i < N; i++) {
        exact[i] = timed(stack, stored, true);
        semantic[i] = timed(stack, paraphrase, true);
        miss[i] =
            timed(
                stack,
                SemanticCacheEndToEndContract.question(
                    "Tell me about topic " + i + " please.", false),
                false);
      }
      return row(name, "exact hit", exact)
          + row(name, "semantic hit", semantic)
          + row(name, "miss (model + store)", miss);
    }
  }

  private static Exchange send(RouterStack stack, String body) throws Exception {
    return stack.envoy.send(
        ClientRequest.postJson("/v1/chat/completions", body).withHeader("x-user-id", "bench"));
  }

  private static long timed(RouterStack stack, String body, boolean hit) throws Exception {
    long t0 = System.nanoTime();
    Exchange ex = send(stack, body);
    long t = System.nanoTime() - t0;
    assertThat(ex.localReply()).isEqualTo(hit);
    return t;
  }

  private static String row(String backend, String what, long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return String.format(
        Locale.ROOT,
        "%-7s %-22s %6.2f / %6.2f / %6.2f\n",
        backend,
        what,
        s[s.length / 2] / 1e6,
        s[(int) (s.length * 0.9)] / 1e6,
        s[(int) (s.length * 0.99)] / 1e6);
  }
}
