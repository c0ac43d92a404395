package io.semroute.config;

import java.nio.file.Path;

/**
 * How the router is operated: who may talk to it and what it reports. Read by {@link
 * OperationsSettingsReader} from {@code listeners.grpc_tls}, {@code listeners.api_token_env},
 * {@code logging} and {@code tracing}.
 *
 * @param grpcTls TLS for the ext_proc listener, or null for plaintext
 * @param apiTokenEnv name of the environment variable holding the HTTP API's bearer token, or null
 *     for an open API
 * @param includePrompts whether decision logs carry the prompt text ({@code
 *     logging.include_prompts})
 * @param tracing OpenTelemetry spans
 */
public record OperationsSettings(
    GrpcTls grpcTls, String apiTokenEnv, boolean includePrompts, Tracing tracing) {
  public static final OperationsSettings DEFAULTS =
      new OperationsSettings(null, null, false, Tracing.OFF);

  public OperationsSettings {
    tracing = tracing == null ? Tracing.OFF : tracing;
  }

  /**
   * PEM files of the ext_proc listener; watched and reloaded when they change (a Kubernetes Secret
   * rotation).
   *
   * @param clientCaFile CA bundle client certificates must chain to; null = no client certificate
   *     required (server TLS only)
   */
  public record GrpcTls(Path certFile, Path keyFile, Path clientCaFile) {}

  /**
   * @param enabled spans are made (off by default)
   * @param otlpEndpoint OTLP/HTTP traces endpoint (e.g. {@code
   *     http://otel-collector:4318/v1/traces}); null = spans are made but not exported (useful with
   *     a log of trace ids only)
   * @param serviceName {@code service.name} resource attribute
   * @param sampleRatio share of new traces sampled; a sampled parent ({@code traceparent}) is
   *     always followed
   */
  public record Tracing(
      boolean enabled, String otlpEndpoint, String serviceName, double sampleRatio) {
    public static final Tracing OFF = new Tracing(false, null, "semantic-router", 1.0);
  }
}
