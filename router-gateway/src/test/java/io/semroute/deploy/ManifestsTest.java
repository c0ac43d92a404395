package io.semroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.Backend;
import io.semroute.config.ConfigLoader;
import io.semroute.config.ModelPath;
import io.semroute.config.RouterConfig;
import io.semroute.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/k8s and deploy (router + Envoy) rendered by {@code kubectl kustomize}, and their names and
 * ports checked against deploy/envoy/envoy.yaml and config.yaml.
 */
@SuppressWarnings("unchecked")
class ManifestsTest {
  static final String EXT_PROC_SERVICE = "envoy.service.ext_proc.v3.ExternalProcessor";
  static List<Map<String, Object>> objects;
  static EnvoyFile envoy;
  static RouterConfig rootConfig;

  @BeforeAll
  static void render() throws Exception {
    Binaries.assumeOnPath("kubectl", "kubernetes-client");
    // deploy/ = deploy/k8s (the router) + Envoy; rendering both checks both kustomizations.
    Binaries.Result routerOnly =
        Binaries.run(Fixtures.repo(), List.of("kubectl", "kustomize", "deploy/k8s"));
    assertThat(routerOnly.exit())
        .as("kubectl kustomize deploy/k8s:\n" + routerOnly.output())
        .isZero();
    Binaries.Result r = Binaries.run(Fixtures.repo(), List.of("kubectl", "kustomize", "deploy"));
    assertThat(r.exit()).as("kubectl kustomize deploy:\n" + r.output()).isZero();
    objects = new ArrayList<>();
    for (Object doc : yaml().loadAll(r.output())) {
      if (doc != null) {
        objects.add((Map<String, Object>) doc);
      }
    }
    envoy = EnvoyFile.load();
    rootConfig = ConfigLoader.load(Fixtures.repo("config.yaml"));
  }

  static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  static Map<String, Object> object(String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.get("kind")))
        .filter(
            o ->
                name.equals(map(o, "metadata").get("name"))
                    || ((String) map(o, "metadata").get("name")).startsWith(name + "-"))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no " + kind + " " + name + " in the rendered manifests"));
  }

  static Map<String, Object> map(Object o, String... path) {
    Object cur = o;
    for (String p : path) {
      cur = ((Map<String, Object>) cur).get(p);
      assertThat(cur).as(String.join(".", path)).isNotNull();
    }
    return (Map<String, Object>) cur;
  }

  static List<Object> list(Object o, String... path) {
    Object cur = o;
    for (String p : path) {
      cur = ((Map<String, Object>) cur).get(p);
      assertThat(cur).as(String.join(".", path)).isNotNull();
    }
    return (List<Object>) cur;
  }

  static Map<String, Object> container(Map<String, Object> deployment, String name) {
    return list(deployment, "spec", "template", "spec", "containers").stream()
        .map(c -> (Map<String, Object>) c)
        .filter(c -> name.equals(c.get("name")))
        .findFirst()
        .orElseThrow();
  }

  static Map<String, Integer> containerPorts(Map<String, Object> container) {
    return list(container, "ports").stream()
        .map(p -> (Map<String, Object>) p)
        .collect(
            Collectors.toMap(p -> (String) p.get("name"), p -> (Integer) p.get("containerPort")));
  }

  @Test
  void theRendersHaveEveryPiece() {
    List<String> kinds =
        objects.stream().map(o -> o.get("kind") + "/" + map(o, "metadata").get("name")).toList();
    assertThat(kinds)
        .contains(
            "Deployment/router",
            "Service/router",
            "ConfigMap/semantic-router-config",
            "HorizontalPodAutoscaler/router",
            "PodDisruptionBudget/router",
            "Deployment/envoy",
            "Service/envoy");
    assertThat(kinds).anyMatch(k -> k.startsWith("ConfigMap/envoy-config-"));
  }

  @Test
  void routerPortsAgreeWithTheConfigAndEnvoy() {
    Map<String, Object> deployment = object("Deployment", "router");
    Map<String, Integer> ports = containerPorts(container(deployment, "router"));
    assertThat(ports)
        .containsEntry("grpc", rootConfig.listeners().grpcPort())
        .containsEntry("http", rootConfig.listeners().httpPort())
        .containsEntry("metrics", rootConfig.listeners().metricsPort());

    Map<String, Object> service = object("Service", "router");
    // envoy.yaml reaches the router by the Service's name, on the config's ports.
    assertThat(envoy.endpoints("semantic_router"))
        .containsExactly("router:" + rootConfig.listeners().grpcPort());
    assertThat(envoy.endpoints("semantic_router_api"))
        .containsExactly("router:" + rootConfig.listeners().httpPort());
    assertThat(map(service, "metadata").get("name")).isEqualTo("router");
    assertThat(map(service, "spec").get("clusterIP"))
        .as("headless, for STRICT_DNS")
        .isEqualTo("None");
    Map<String, Integer> servicePorts =
        list(service, "spec", "ports").stream()
            .map(p -> (Map<String, Object>) p)
            .collect(Collectors.toMap(p -> (String) p.get("name"), p -> (Integer) p.get("port")));
    assertThat(servicePorts).isEqualTo(ports);
    assertThat(map(service, "spec", "selector"))
        .isEqualTo(map(deployment, "spec", "template", "metadata", "labels"));

    Map<String, Object> annotations =
        map(deployment, "spec", "template", "metadata", "annotations");
    assertThat(annotations)
        .containsEntry(
            "prometheus.io/port", Integer.toString(rootConfig.listeners().metricsPort()));
  }

  @Test
  void probesAskTheExtProcHealthService() {
    Map<String, Object> router = container(object("Deployment", "router"), "router");
    for (String probe : List.of("readinessProbe", "startupProbe")) {
      Map<String, Object> grpc = map(router, probe, "grpc");
      assertThat(grpc.get("port")).as(probe).isEqualTo(rootConfig.listeners().grpcPort());
      assertThat(grpc.get("service")).as(probe).isEqualTo(EXT_PROC_SERVICE);
    }
    assertThat(envoy.healthCheckedService("semantic_router")).isEqualTo(EXT_PROC_SERVICE);
    assertThat(map(router, "livenessProbe", "httpGet").get("path")).isEqualTo("/health");
  }

  @Test
  void resourcesAreSetAndTheHeapFitsTheLimit() {
    Map<String, Object> resources =
        map(container(object("Deployment", "router"), "router"), "resources");
    assertThat(map(resources, "requests")).containsKeys("cpu", "memory");
    assertThat(map(resources, "limits")).containsKey("memory");
    assertThat(mebibytes((String) map(resources, "limits").get("memory")))
        .isGreaterThanOrEqualTo(mebibytes((String) map(resources, "requests").get("memory")));
  }

  static long mebibytes(String quantity) {
    if (quantity.endsWith("Gi")) {
      return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
    }
    if (quantity.endsWith("Mi")) {
      return Long.parseLong(quantity.substring(0, quantity.length() - 2));
    }
    throw new AssertionError("write memory as Mi or Gi: " + quantity);
  }

  @Test
  void theRouterRunsAsTheImagesNonRootUserOnAReadOnlyRoot() {
    Map<String, Object> pod = map(object("Deployment", "router"), "spec", "template", "spec");
    assertThat(map(pod, "securityContext"))
        .containsEntry("runAsNonRoot", true)
        .containsEntry("runAsUser", 10001);
    Map<String, Object> router = container(object("Deployment", "router"), "router");
    assertThat(map(router, "securityContext")).containsEntry("readOnlyRootFilesystem", true);
    assertThat(list(router, "volumeMounts"))
        .anyMatch(m -> "/tmp".equals(((Map<String, Object>) m).get("mountPath")));
  }

  @Test
  void hpaAndPdbTargetTheRouter() {
    Map<String, Object> hpa = object("HorizontalPodAutoscaler", "router");
    assertThat(map(hpa, "spec", "scaleTargetRef"))
        .containsEntry("kind", "Deployment")
        .containsEntry("name", "router");
    assertThat((Integer) map(hpa, "spec").get("minReplicas")).isGreaterThanOrEqualTo(2);
    Map<String, Object> labels =
        map(object("Deployment", "router"), "spec", "template", "metadata", "labels");
    Map<String, Object> pdb = object("PodDisruptionBudget", "router");
    assertThat(map(pdb, "spec", "selector", "matchLabels")).isEqualTo(labels);
    assertThat(map(object("Deployment", "router"), "spec", "selector", "matchLabels"))
        .isEqualTo(labels);
  }

  @Test
  void theConfigMapIsTheRootConfigWithImagePaths(@TempDir Path tmp) throws Exception {
    Map<String, Object> configMap = object("ConfigMap", "semantic-router-config");
    String k8sConfig = (String) map(configMap, "data").get("config.yaml");
    // The image keeps the models at /opt/router/models; point them at the checkout's to load it.
    Path file = tmp.resolve("config.yaml");
    Files.writeString(
        file, k8sConfig.replace("/opt/router/models/", Fixtures.repo("models") + "/"));
    RouterConfig k8s = ConfigLoader.load(file);
    assertThat(k8s.listeners()).isEqualTo(rootConfig.listeners());
    assertThat(k8s.models().keySet()).isEqualTo(rootConfig.models().keySet());
    assertThat(k8s.defaultModel()).isEqualTo(rootConfig.defaultModel());
    assertThat(k8s.backends()).isEqualTo(rootConfig.backends());
    assertThat(k8s.categories().stream().map(c -> c.name()).toList())
        .isEqualTo(rootConfig.categories().stream().map(c -> c.name()).toList());
    assertThat(modelFolders(k8s)).isEqualTo(modelFolders(rootConfig));
    assertThat(k8sConfig).doesNotContain(": models/").contains("/opt/router/models/category");

    Map<String, Object> volume =
        list(object("Deployment", "router"), "spec", "template", "spec", "volumes").stream()
            .map(v -> (Map<String, Object>) v)
            .filter(v -> v.containsKey("configMap"))
            .findFirst()
            .orElseThrow();
    assertThat(map(volume, "configMap").get("name")).isEqualTo("semantic-router-config");
  }

  private static List<String> modelFolders(RouterConfig cfg) {
    List<String> names = new ArrayList<>();
    names.add(name(cfg.classifier().categoryModel()));
    names.add(name(cfg.classifier().jailbreak().model()));
    names.add(name(cfg.classifier().pii().model()));
    return names;
  }

  private static String name(ModelPath p) {
    return p == null ? null : Objects.toString(p.dir().getFileName());
  }

  @Test
  void envoyRunsDeployEnvoyYamlAndEveryBackendHasACluster() throws Exception {
    Map<String, Object> configMap = object("ConfigMap", "envoy-config");
    assertThat(map(configMap, "data").get("envoy.yaml"))
        .isEqualTo(Files.readString(Fixtures.repo("deploy/envoy/envoy.yaml")));
    Map<String, Object> deployment = object("Deployment", "envoy");
    assertThat(containerPorts(container(deployment, "envoy")))
        .containsEntry("http", envoy.listenerPort());
    Map<String, Object> volume =
        (Map<String, Object>) list(deployment, "spec", "template", "spec", "volumes").get(0);
    assertThat((String) map(volume, "configMap").get("name")).startsWith("envoy-config-");
    Map<String, Object> service = object("Service", "envoy");
    assertThat(((Map<String, Object>) list(service, "spec", "ports").get(0)).get("port"))
        .isEqualTo(envoy.listenerPort());
    for (Backend b : rootConfig.backends()) {
      assertThat(envoy.clusterEndpoints().values())
          .as("an Envoy cluster for backend " + b.name())
          .anyMatch(endpoints -> endpoints.contains(b.address()));
    }
  }
}
