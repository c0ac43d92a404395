package io.semroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.Backend;
import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import io.semroute.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** deploy/docker-compose.yaml: its service names, ports and mounted files agree with the rest. */
@SuppressWarnings("unchecked")
class ComposeFileTest {
  static final Path DEPLOY = Fixtures.repo("deploy");

  @Test
  void servicesPortsAndFilesAgreeWithEnvoyAndTheConfig() throws Exception {
    Map<String, Object> compose =
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(DEPLOY.resolve("docker-compose.yaml")));
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    assertThat(services).containsKeys("envoy", "router", "prometheus", "grafana");
    RouterConfig config = ConfigLoader.load(Fixtures.repo("config.yaml"));
    EnvoyFile envoy = EnvoyFile.load();

    // The router answers on the names and ports envoy.yaml and prometheus.yml use.
    List<String> routerPorts =
        (List<String>) ((Map<String, Object>) services.get("router")).get("ports");
    for (int port :
        new int[] {
          config.listeners().grpcPort(),
          config.listeners().httpPort(),
          config.listeners().metricsPort()
        }) {
      assertThat(routerPorts).contains(port + ":" + port);
    }
    assertThat(envoy.endpoints("semantic_router"))
        .containsExactly("router:" + config.listeners().grpcPort());

    // One mock vLLM per configured backend, on the backend's host name and port, serving its
    // models.
    for (Backend b : config.backends()) {
      Map<String, Object> mock = (Map<String, Object>) services.get(b.host());
      assertThat(mock).as("a compose service named " + b.host()).isNotNull();
      List<String> command = (List<String>) mock.get("command");
      assertThat(command).startsWith("mock-vllm");
      assertThat(command.get(command.indexOf("--port") + 1)).isEqualTo(Integer.toString(b.port()));
      assertThat(List.of(command.get(command.indexOf("--models") + 1).split(",")))
          .isEqualTo(b.models());
      assertThat(envoy.clusterEndpoints().values()).anyMatch(e -> e.contains(b.address()));
    }

    List<String> envoyPorts =
        (List<String>) ((Map<String, Object>) services.get("envoy")).get("ports");
    assertThat(envoyPorts)
        .anyMatch(p -> p.startsWith(envoy.listenerPort() + ":" + envoy.listenerPort()));

    // Every bind-mounted file or folder exists.
    for (Map.Entry<String, Object> e : services.entrySet()) {
      Object volumes = ((Map<String, Object>) e.getValue()).get("volumes");
      if (volumes == null) {
        continue;
      }
      for (Object v : (List<Object>) volumes) {
        String source = ((String) v).split(":")[0];
        assertThat(DEPLOY.resolve(source).normalize())
            .as(e.getKey() + " mounts " + source)
            .exists();
      }
    }
  }

  @Test
  void theDockerfileRunsAsANonRootUserWithAHealthCheck() throws Exception {
    String dockerfile = Files.readString(Fixtures.repo("Dockerfile"));
    assertThat(dockerfile)
        .containsPattern("(?m)^FROM .* AS build$")
        .containsPattern("(?m)^USER router$")
        .contains("HEALTHCHECK")
        .contains("COPY models /opt/router/models")
        .contains("DJL_CACHE_DIR")
        .contains("useradd --system --uid 10001");
    // Every Maven module is copied into the build stage.
    String pom = Files.readString(Fixtures.repo("pom.xml"));
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    while (m.find()) {
      assertThat(dockerfile)
          .as("Dockerfile copies module " + m.group(1))
          .contains("COPY " + m.group(1) + "/pom.xml " + m.group(1) + "/")
          .contains("COPY " + m.group(1) + " " + m.group(1));
    }
  }
}
