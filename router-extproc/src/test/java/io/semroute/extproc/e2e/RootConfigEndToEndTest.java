package io.semroute.extproc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.EnvoyConfig;
import io.semroute.extproc.emulator.Exchange;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped root config.yaml and deploy/envoy/envoy.yaml, played together. */
class RootConfigEndToEndTest {
  private static RouterStack stack;
  private static RouterConfig config;

  @BeforeAll
  static void start() throws Exception {
    Path root = EnvoyConfig.defaultPath().getParent().getParent().getParent();
    config = ConfigLoader.load(root.resolve("config.yaml"));
    stack = new RouterStack(config);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void everyConfiguredModelHasAnEnvoyRoute() throws Exception {
    Set<String> routed = EnvoyConfig.load().httpConnectionManager().getRouteConfig().getVirtualHosts(0)
        .getRoutesList().stream()
        .filter(r -> r.getMatch().getHeadersCount() == 1)
        .map((Route r) -> r.getMatch().getHeaders(0).getStringMatch().getExact())
        .collect(Collectors.toSet());
    assertThat(routed).containsExactlyInAnyOrderElementsOf(config.models().keySet());
  }

  @Test
  void domainsReachDifferentModels() throws Exception {
    Exchange math = send("Find the derivative of f(x) = x^3 - 4x and solve for x where it is zero.");
    Exchange law = send("Is a verbal contract enforceable, and what counts as a tort under common law?");
    JsonNode mathMock = RouterEndToEndTest.assertConsistentUpstream(math, "qwen3-8b");
    RouterEndToEndTest.assertConsistentUpstream(law, "llama-3.1-8b-instruct");
    assertThat(mathMock.at("/chat_template_kwargs/enable_thinking").asBoolean(false)).isTrue();
    assertThat(math.header("x-vsr-selected-category")).isEqualTo("math");
    assertThat(law.header("x-vsr-selected-category")).isEqualTo("law");
    assertThat(math.upstream().cluster()).isEqualTo("vllm-qwen");
    assertThat(law.upstream().cluster()).isEqualTo("vllm-llama");
  }

  private static Exchange send(String prompt) throws Exception {
    return stack.envoy.send(ClientRequest.postJson("/v1/chat/completions", RouterEndToEndTest.chat("auto", prompt)));
  }
}
