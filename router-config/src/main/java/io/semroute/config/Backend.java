package io.semroute.config;

import java.util.List;

/**
 * One vLLM endpoint. {@code host} may be a DNS name (e.g. a Kubernetes Service), not only an IP.
 *
 * @param weight relative share of traffic among backends serving the same model (&gt; 0)
 * @param apis the inference APIs the server answers itself ({@link #API_NAMES}); a request in
 *     another API is translated to Chat Completions by the router
 */
public record Backend(
    String name, String host, int port, List<String> models, int weight, List<String> apis) {
  /** Every API name {@code apis} may list. */
  public static final List<String> API_NAMES =
      List.of("chat_completions", "completions", "messages", "responses");

  /** What a current vLLM serves: all of them ({@code /v1/messages} since 0.11). */
  public static final List<String> DEFAULT_APIS = API_NAMES;

  public Backend {
    models = List.copyOf(models);
    apis = List.copyOf(apis);
  }

  /** A backend that serves every API vLLM serves. */
  public Backend(String name, String host, int port, List<String> models, int weight) {
    this(name, host, port, models, weight, DEFAULT_APIS);
  }

  /** {@code host:port}, the form Envoy's endpoint-picking header carries. */
  public String address() {
    return host + ":" + port;
  }

  /**
   * @param api an entry of {@link #API_NAMES}
   */
  public boolean serves(String api) {
    return apis.contains(api);
  }
}
