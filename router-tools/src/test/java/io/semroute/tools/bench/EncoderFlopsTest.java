package io.semroute.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The FLOP counts the benchmark divides by its times, checked against hand arithmetic. */
class EncoderFlopsTest {

  @Test
  void miniLmAt64TokensIsLinearsPlusFullAttention() {
    // per layer: 2*64*(4*384^2 + 2*384*1536) linear + 4*64^2*384 attention; 6 layers
    double perLayer = 2.0 * 64 * (4 * 384 * 384 + 2 * 384 * 1536) + 4.0 * 64 * 64 * 384;
    assertThat(EncoderFlops.miniLm().flops(64)).isCloseTo(6 * perLayer, within(1.0));
  }

  @Test
  void slidingWindowCoversEveryPairWhenTheSequenceFitsInIt() {
    assertThat(EncoderFlops.windowPairs(65, 64)).isEqualTo(65.0 * 65);
    // 3 tokens, at most 1 apart: (0,0) (0,1) (1,0) (1,1) (1,2) (2,1) (2,2)
    assertThat(EncoderFlops.windowPairs(3, 1)).isEqualTo(7.0);
  }

  @Test
  void modernBertLocalLayersCostLessThanGlobalOnesOnLongInputs() {
    EncoderFlops.Shape windowed = EncoderFlops.modernBert(3, 768, 1152, 128, 3, 2);
    EncoderFlops.Shape allGlobal = EncoderFlops.modernBert(3, 768, 1152, 128, 1, 2);
    assertThat(windowed.flops(64)).isEqualTo(allGlobal.flops(64));
    assertThat(windowed.flops(512)).isLessThan(allGlobal.flops(512));
  }
}
