package io.semroute.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.testkit.Fixtures;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The gateway plays the ext_proc filter of deploy/envoy/envoy.yaml: same mode, timeout, limit. */
class EnvoyYamlAgreementTest {
  @Test
  @SuppressWarnings("unchecked")
  void settingsAreThoseOfEnvoyYaml() throws Exception {
    Map<String, Object> envoy =
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(Fixtures.repo("deploy/envoy/envoy.yaml")));
    Map<String, Object> listener =
        (Map<String, Object>)
            ((List<Object>) ((Map<String, Object>) envoy.get("static_resources")).get("listeners"))
                .get(0);
    assertThat(((Number) listener.get("per_connection_buffer_limit_bytes")).longValue())
        .isEqualTo(Gateway.Settings.BUFFER_LIMIT_BYTES);
    assertThat(((Map<String, Object>) listener.get("address")).toString())
        .contains("port_value=" + Gateway.Settings.DEFAULT_PORT);
    Map<String, Object> hcm =
        (Map<String, Object>)
            ((Map<String, Object>)
                    ((List<Object>)
                            ((Map<String, Object>)
                                    ((List<Object>) listener.get("filter_chains")).get(0))
                                .get("filters"))
                        .get(0))
                .get("typed_config");
    Map<String, Object> extProc = null;
    for (Object f : (List<Object>) hcm.get("http_filters")) {
      Map<String, Object> filter = (Map<String, Object>) f;
      if ("envoy.filters.http.ext_proc".equals(filter.get("name"))) {
        extProc = (Map<String, Object>) filter.get("typed_config");
      }
    }
    assertThat(extProc).as("ext_proc filter").isNotNull();
    assertThat(extProc.get("allow_mode_override")).isEqualTo(true);
    assertThat(extProc.get("failure_mode_allow"))
        .as("fail-closed, as the gateway")
        .isEqualTo(false);
    assertThat(extProc.get("message_timeout"))
        .isEqualTo(Gateway.Settings.MESSAGE_TIMEOUT.toSeconds() + "s");
    Map<String, Object> mode = (Map<String, Object>) extProc.get("processing_mode");
    var m = Gateway.ENVOY_YAML_MODE;
    assertThat(mode)
        .containsEntry("request_header_mode", m.getRequestHeaderMode().name())
        .containsEntry("response_header_mode", m.getResponseHeaderMode().name())
        .containsEntry("request_body_mode", m.getRequestBodyMode().name())
        .containsEntry("response_body_mode", m.getResponseBodyMode().name())
        .containsEntry("request_trailer_mode", m.getRequestTrailerMode().name())
        .containsEntry("response_trailer_mode", m.getResponseTrailerMode().name());
  }
}
