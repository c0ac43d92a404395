package io.semroute.extproc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.classifiers.RequiredClassifiers;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.EnvoyConfig;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.extproc.server.SnapshotBuilder;
import io.semroute.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code classifier.jailbreak.on_error}: a guard that cannot answer (here: its model closed under a
 * running router) refuses with 503 ({@code block}) or forwards the request marked {@code
 * x-vsr-jailbreak: unchecked} ({@code allow}).
 */
class GuardOnErrorEndToEndTest {
  @TempDir Path dir;

  private RouterConfig config(String onError) throws Exception {
    Path file = dir.resolve("config-" + onError + ".yaml");
    Files.writeString(
        file,
        """
        default_model: llama-3.1-8b-instruct
        models:
          qwen3-8b:
          llama-3.1-8b-instruct:
        backends:
          - {name: vllm-qwen, address: vllm-qwen:8000, models: [qwen3-8b]}
          - {name: vllm-llama, address: vllm-llama:8000, models: [llama-3.1-8b-instruct]}
        classifier:
          jailbreak: {model: %s, on_error: %s}
        """
            .formatted(Fixtures.repo().resolve("models/jailbreak"), onError));
    return ConfigLoader.load(file);
  }

  @Test
  void blockAnswers503AndAllowForwardsMarkedUnchecked() throws Exception {
    for (String onError : new String[] {"block", "allow"}) {
      RouterConfig cfg = config(onError);
      try (ClassifierCache models =
              new ClassifierCache(new ClassifierOpener(BatchPolicy.defaults()));
          RouterStack stack =
              new RouterStack(cfg, EnvoyConfig.load(), new SnapshotBuilder(models))) {
        Exchange ok =
            stack.envoy.send(
                ClientRequest.postJson(
                    "/v1/chat/completions",
                    RouterEndToEndTest.chat("auto", "What is the capital of France?")));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("x-vsr-jailbreak")).isNull();

        models.get(RequiredClassifiers.jailbreak(cfg).orElseThrow()).close();
        Exchange ex =
            stack.envoy.send(
                ClientRequest.postJson(
                    "/v1/chat/completions",
                    RouterEndToEndTest.chat("auto", "What is the capital of Spain?")));
        if (onError.equals("block")) {
          assertThat(ex.status()).isEqualTo(503);
          assertThat(ex.upstream()).isNull();
          assertThat(ex.json().at("/error/code").asText()).isEqualTo("guard_unavailable");
        } else {
          assertThat(ex.status()).isEqualTo(200);
          assertThat(ex.upstream().header("x-vsr-jailbreak")).isEqualTo("unchecked");
          assertThat(ex.header("x-vsr-jailbreak")).isEqualTo("unchecked");
        }
      }
    }
  }
}
