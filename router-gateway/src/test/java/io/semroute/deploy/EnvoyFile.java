package io.semroute.deploy;

import io.semroute.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The parts of deploy/envoy/envoy.yaml the deployment files must agree with (router-extproc's
 * EnvoyYamlTest checks the file itself strictly against Envoy's protos).
 */
@SuppressWarnings("unchecked")
final class EnvoyFile {
  private final Map<String, Object> root;

  private EnvoyFile(Map<String, Object> root) {
    this.root = root;
  }

  static EnvoyFile load() throws IOException {
    return new EnvoyFile(
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(Fixtures.repo("deploy/envoy/envoy.yaml"))));
  }

  private Map<String, Object> staticResources() {
    return (Map<String, Object>) root.get("static_resources");
  }

  int listenerPort() {
    Map<String, Object> listener =
        (Map<String, Object>) ((List<Object>) staticResources().get("listeners")).get(0);
    return (Integer)
        ((Map<String, Object>)
                ((Map<String, Object>) listener.get("address")).get("socket_address"))
            .get("port_value");
  }

  /** cluster name → its endpoints as {@code host:port}. */
  Map<String, List<String>> clusterEndpoints() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Object c : (List<Object>) staticResources().get("clusters")) {
      Map<String, Object> cluster = (Map<String, Object>) c;
      List<String> endpoints = new ArrayList<>();
      for (Object e :
          (List<Object>) ((Map<String, Object>) cluster.get("load_assignment")).get("endpoints")) {
        for (Object lb : (List<Object>) ((Map<String, Object>) e).get("lb_endpoints")) {
          Map<String, Object> address =
              (Map<String, Object>)
                  ((Map<String, Object>)
                          ((Map<String, Object>) ((Map<String, Object>) lb).get("endpoint"))
                              .get("address"))
                      .get("socket_address");
          endpoints.add(address.get("address") + ":" + address.get("port_value"));
        }
      }
      out.put((String) cluster.get("name"), endpoints);
    }
    return out;
  }

  List<String> endpoints(String cluster) {
    List<String> e = clusterEndpoints().get(cluster);
    if (e == null) {
      throw new AssertionError("no cluster " + cluster + " in deploy/envoy/envoy.yaml");
    }
    return e;
  }

  String healthCheckedService(String cluster) {
    for (Object c : (List<Object>) staticResources().get("clusters")) {
      Map<String, Object> m = (Map<String, Object>) c;
      if (cluster.equals(m.get("name"))) {
        Map<String, Object> hc =
            (Map<String, Object>) ((List<Object>) m.get("health_checks")).get(0);
        return (String) ((Map<String, Object>) hc.get("grpc_health_check")).get("service_name");
      }
    }
    throw new AssertionError("no cluster " + cluster);
  }
}
