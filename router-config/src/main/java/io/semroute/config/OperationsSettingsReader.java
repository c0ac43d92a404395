package io.semroute.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the operations keys: {@code listeners.grpc_tls}, {@code listeners.api_token_env}, {@code
 * logging.*} and {@code tracing.*} into {@link OperationsSettings}.
 */
final class OperationsSettingsReader {
  static final Set<String> TLS_KEYS =
      RouterConfigReader.orderedSet("cert_file", "key_file", "client_ca_file");
  static final Set<String> LOGGING_KEYS = RouterConfigReader.orderedSet("include_prompts");
  static final Set<String> TRACING_KEYS =
      RouterConfigReader.orderedSet("enabled", "otlp_endpoint", "service_name", "sample_ratio");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Path file;

  OperationsSettingsReader(Path file) {
    this.file = file;
  }

  OperationsSettings read(YamlNode listenersNode, YamlNode logging, YamlNode tracing) {
    OperationsSettings.GrpcTls tls = null;
    String tokenEnv = null;
    if (listenersNode.isPresent()) {
      Map<String, YamlNode> listeners = listenersNode.entries(RouterConfigReader.LISTENER_KEYS);
      tls = tls(YamlNode.child(listeners, listenersNode, "grpc_tls"));
      YamlNode env = YamlNode.child(listeners, listenersNode, "api_token_env");
      tokenEnv = env.string(null);
      if (tokenEnv != null && !ENV_NAME.matcher(tokenEnv).matches()) {
        throw env.error(
            "'" + tokenEnv + "' is not an environment variable name (letters, digits, _)");
      }
    }
    boolean includePrompts = false;
    if (logging.isPresent()) {
      Map<String, YamlNode> e = logging.entries(LOGGING_KEYS);
      includePrompts = YamlNode.child(e, logging, "include_prompts").bool(false);
    }
    return new OperationsSettings(tls, tokenEnv, includePrompts, tracing(tracing));
  }

  private OperationsSettings.GrpcTls tls(YamlNode n) {
    if (!n.isPresent()) {
      return null;
    }
    Map<String, YamlNode> e = n.entries(TLS_KEYS);
    YamlNode cert = YamlNode.child(e, n, "cert_file");
    YamlNode key = YamlNode.child(e, n, "key_file");
    if (!cert.isPresent()) {
      throw cert.missing();
    }
    if (!key.isPresent()) {
      throw key.missing();
    }
    YamlNode ca = YamlNode.child(e, n, "client_ca_file");
    return new OperationsSettings.GrpcTls(
        pemFile(cert), pemFile(key), ca.isPresent() ? pemFile(ca) : null);
  }

  private Path pemFile(YamlNode n) {
    String text = n.requiredString();
    Path p = RouterConfigReader.resolvePath(file, n);
    if (!Files.isRegularFile(p)) {
      throw n.error("'" + text + "' is not a readable file (resolved to " + p + ")");
    }
    return p;
  }

  private static OperationsSettings.Tracing tracing(YamlNode n) {
    if (!n.isPresent()) {
      return OperationsSettings.Tracing.OFF;
    }
    Map<String, YamlNode> e = n.entries(TRACING_KEYS);
    OperationsSettings.Tracing d = OperationsSettings.Tracing.OFF;
    YamlNode endpointNode = YamlNode.child(e, n, "otlp_endpoint");
    String endpoint = endpointNode.string(null);
    if (endpoint != null) {
      try {
        URI uri = URI.create(endpoint);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
            || uri.getHost() == null) {
          throw endpointNode.error(
              "expected an http(s) URL such as http://otel-collector:4318/v1/traces, found '"
                  + endpoint
                  + "'");
        }
      } catch (IllegalArgumentException ex) {
        throw endpointNode.error("not a URL: '" + endpoint + "'");
      }
    }
    return new OperationsSettings.Tracing(
        YamlNode.child(e, n, "enabled").bool(false),
        endpoint,
        YamlNode.child(e, n, "service_name").string(d.serviceName()),
        YamlNode.child(e, n, "sample_ratio").number(d.sampleRatio(), 0, 1));
  }
}
