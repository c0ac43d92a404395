package io.semroute.extproc.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class EffectiveConfigTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void secretsAreMaskedButKeysThatOnlyMentionTokensAreNot() throws Exception {
    ObjectNode tree =
        (ObjectNode)
            JSON.readTree(
                """
                {"listeners": {"api_token": "s3cret", "api_token_env": "ROUTER_API_TOKEN"},
                 "models": {"m": {"max_tokens": 512, "tokens_per_minute": 1000}},
                 "redis": {"password": "pw", "address": "redis://user:pw@host:6379"},
                 "vendor": {"apikey": "k", "credentials": "c"}}
                """);
    EffectiveConfig.mask(tree);

    assertThat(tree.at("/listeners/api_token").asText()).isEqualTo("***");
    assertThat(tree.at("/listeners/api_token_env").asText()).isEqualTo("ROUTER_API_TOKEN");
    assertThat(tree.at("/models/m/max_tokens").asInt()).isEqualTo(512);
    assertThat(tree.at("/models/m/tokens_per_minute").asInt()).isEqualTo(1000);
    assertThat(tree.at("/redis/password").asText()).isEqualTo("***");
    assertThat(tree.at("/redis/address").asText()).doesNotContain("pw");
    assertThat(tree.at("/vendor/apikey").asText()).isEqualTo("***");
    assertThat(tree.at("/vendor/credentials").asText()).isEqualTo("***");
  }
}
