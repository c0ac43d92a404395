package io.semroute.classifier.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.head.Pooling;
import org.junit.jupiter.api.Test;

class BaseEncoderTest {
  @Test
  void eachBuiltInEncoderIsNamedByItsBaseEncoderValue() {
    assertThat(BaseEncoder.of("builtin:all-MiniLM-L6-v2", "x")).isEqualTo(BaseEncoder.MINILM_L6);
    assertThat(BaseEncoder.of("builtin:bge-small-en-v1.5", "x"))
        .isEqualTo(BaseEncoder.BGE_SMALL_EN_V15);
    // The pooling each model was published with.
    assertThat(BaseEncoder.MINILM_L6.pooling()).isEqualTo(Pooling.MEAN);
    assertThat(BaseEncoder.BGE_SMALL_EN_V15.pooling()).isEqualTo(Pooling.CLS);
    assertThat(HeadOnlyCheckpoint.BASE_ENCODER).isEqualTo(BaseEncoder.MINILM_L6.id());
  }

  @Test
  void anUnknownBaseEncoderNamesTheFileAndTheChoices() {
    assertThatThrownBy(() -> BaseEncoder.of("builtin:e5-small-v2", "models/x/config.json"))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("models/x/config.json: base_encoder 'builtin:e5-small-v2'")
        .hasMessageContaining("builtin:all-MiniLM-L6-v2, builtin:bge-small-en-v1.5");
  }

  @Test
  void bothConfigsAreReadAndMatchTheirTensors() {
    assertThat(BuiltinEncoder.config(BaseEncoder.MINILM_L6).requireInt("num_hidden_layers"))
        .isEqualTo(6);
    assertThat(BuiltinEncoder.config(BaseEncoder.BGE_SMALL_EN_V15).requireInt("num_hidden_layers"))
        .isEqualTo(12);
    assertThat(BuiltinEncoder.initializers(BaseEncoder.BGE_SMALL_EN_V15).names())
        .contains("encoder.layer.11.attention.self.query.weight")
        .doesNotContain("encoder.layer.12.attention.self.query.weight");
  }
}
