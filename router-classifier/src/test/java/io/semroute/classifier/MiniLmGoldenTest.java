package io.semroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.classifier.text.TokenizedText;
import io.semroute.testkit.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in all-MiniLM-L6-v2 (ONNX initializers read into BertEncoder) against
 * ../shared/golden/minilm.
 */
class MiniLmGoldenTest {
  private static TextEmbedder embedder;
  private static JsonNode exp;
  private static List<String> texts;

  @BeforeAll
  static void load() throws Exception {
    exp = Golden.expected(Fixtures.golden("minilm"));
    texts = new ArrayList<>();
    exp.get("texts").forEach(t -> texts.add(t.asText()));
    embedder = ClassifierRegistry.builtinEmbedder(LoadOptions.DEFAULT.withDevice(DeviceSpec.CPU));
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  @Test
  void bundledTokenizerGivesGoldenIds() {
    List<TokenizedText> tok = embedder.encoder().tokenize(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(tok.get(i).ids())
          .as("ids of %s", texts.get(i))
          .containsExactly(Golden.longs(exp.get("input_ids").get(i)));
    }
  }

  @Test
  void embeddingsMatchBatched() {
    float[][] v = embedder.embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(Golden.maxDiff(v[i], 0, exp.get("embeddings").get(i)))
          .as("embedding %d", i)
          .isLessThan(1e-4);
    }
    assertThat(dot(v[0], v[1])).isCloseTo(exp.get("cosine_0_1").asDouble(), within(1e-4));
  }

  @Test
  void embeddingsMatchOneByOne() {
    for (int i = 0; i < texts.size(); i++) {
      float[] v = embedder.embed(texts.get(i));
      assertThat(v).hasSize(384);
      assertThat(Golden.maxDiff(v, 0, exp.get("embeddings").get(i)))
          .as("embedding %d", i)
          .isLessThan(1e-4);
    }
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
