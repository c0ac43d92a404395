package io.semroute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * listeners.grpc_tls, listeners.api_token_env, logging.*, tracing.*: values and file:line:key
 * errors.
 */
class OperationsSettingsTest {
  @TempDir Path dir;

  private static final String BASE =
      """
      listeners:
        grpc_port: 50051
      %s
      default_model: m
      models:
        m: {}
      backends:
        - {name: b, address: b:8000, models: [m]}
      %s
      """;

  private RouterConfig load(String listeners, String top) throws Exception {
    Path p = dir.resolve("router.yaml");
    Files.writeString(p, BASE.formatted(listeners.indent(2).stripTrailing(), top));
    return ConfigLoader.load(p);
  }

  @Test
  void defaultsAreOffAndOpen() throws Exception {
    RouterConfig c = load("", "");
    assertThat(c.operations()).isEqualTo(OperationsSettings.DEFAULTS);
    assertThat(c.operations().tracing().enabled()).isFalse();
    assertThat(c.operations().includePrompts()).isFalse();
  }

  @Test
  void readsEveryKey() throws Exception {
    Files.writeString(dir.resolve("tls.crt"), "x");
    Files.writeString(dir.resolve("tls.key"), "x");
    Files.writeString(dir.resolve("ca.crt"), "x");
    RouterConfig c =
        load(
            """
        grpc_tls: {cert_file: tls.crt, key_file: tls.key, client_ca_file: ca.crt}
        api_token_env: ROUTER_API_TOKEN""",
            """
        logging: {include_prompts: true}
        tracing: {enabled: true, otlp_endpoint: 'http://otel:4318/v1/traces', service_name: r1, sample_ratio: 0.25}""");
    OperationsSettings o = c.operations();
    assertThat(o.grpcTls().certFile()).isEqualTo(dir.resolve("tls.crt"));
    assertThat(o.grpcTls().clientCaFile()).isEqualTo(dir.resolve("ca.crt"));
    assertThat(o.apiTokenEnv()).isEqualTo("ROUTER_API_TOKEN");
    assertThat(o.includePrompts()).isTrue();
    assertThat(o.tracing())
        .isEqualTo(new OperationsSettings.Tracing(true, "http://otel:4318/v1/traces", "r1", 0.25));
  }

  @Test
  void errorsNameFileLineAndKey() throws Exception {
    assertThatThrownBy(() -> load("grpc_tls: {cert_file: missing.crt, key_file: k}", ""))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "router.yaml:3: listeners.grpc_tls.cert_file: 'missing.crt' is not a readable file");
    assertThatThrownBy(() -> load("grpc_tls: {key_file: k}", ""))
        .hasMessageContaining("listeners.grpc_tls.cert_file: required key is missing");
    assertThatThrownBy(() -> load("api_token_env: 'MY-TOKEN'", ""))
        .hasMessageContaining(
            "listeners.api_token_env: 'MY-TOKEN' is not an environment variable name");
    assertThatThrownBy(() -> load("", "tracing: {otlp_endpoint: 'otel:4318'}"))
        .hasMessageContaining("tracing.otlp_endpoint: expected an http(s) URL");
    assertThatThrownBy(() -> load("", "tracing: {sample_ratio: 2}"))
        .hasMessageContaining("tracing.sample_ratio: must be between 0 and 1");
    assertThatThrownBy(() -> load("", "logging: {include_prompt: true}"))
        .hasMessageContaining("logging.include_prompt: unknown key")
        .hasMessageContaining("include_prompts");
  }
}
