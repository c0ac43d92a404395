package io.semroute.config;

import java.util.List;

/**
 * One vLLM endpoint. {@code host} may be a DNS name (e.g. a Kubernetes Service), not only an IP.
 *
 * @param weight relative share of traffic among backends serving the same model (&gt; 0)
 */
public record Backend(String name, String host, int port, List<String> models, int weight) {
  public Backend {
    models = List.copyOf(models);
  }

  /** {@code host:port}, the form Envoy's endpoint-picking header carries. */
  public String address() {
    return host + ":" + port;
  }
}
