package io.semroute.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.DeviceSpec;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.classifier.text.TokenizedText;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Second oracle for the built-in encoder: ONNX Runtime running the very graph whose weights
 * BertEncoder reads, on sentences the golden file does not have, batched with padding.
 */
class OnnxOracleTest {
  static final List<String> SENTENCES =
      List.of(
          "How do I reset my router's admin password?",
          "Écris une fonction Python qui inverse une chaîne 🙂 — merci!",
          "x",
          "In 1905 Einstein published four papers on the photoelectric effect, Brownian motion, special relativity "
              + "and mass-energy equivalence; explain how each one changed physics, and which experiments later "
              + "confirmed their predictions, citing the years and the people involved.");

  private static TextEncoder encoder;
  private static OrtLastHidden ort;

  @BeforeAll
  static void load() throws Exception {
    encoder = ClassifierRegistry.builtinEncoder(LoadOptions.DEFAULT.withDevice(DeviceSpec.CPU));
    ort = new OrtLastHidden(1);
  }

  @AfterAll
  static void close() throws Exception {
    encoder.close();
    ort.close();
  }

  @Test
  void hiddenStatesMatchOnnxRuntimeBatchedWithPadding() {
    List<TokenizedText> tok = encoder.tokenize(SENTENCES);
    try (EncodedBatch b = encoder.encodeTokenized(tok)) {
      float[] hidden = b.hidden().toFloatArray();
      int seq = b.sequenceLength();
      assertThat(seq).isGreaterThan(40);
      for (int k = 0; k < tok.size(); k++) {
        float[][] want = ort.lastHidden(tok.get(k).ids());
        double max = 0;
        for (int t = 0; t < want.length; t++) {
          for (int h = 0; h < 384; h++) {
            max = Math.max(max, Math.abs(hidden[(k * seq + t) * 384 + h] - want[t][h]));
          }
        }
        assertThat(max).as("max |DJL - ORT| for sentence %d", k).isLessThan(1e-4);
      }
    }
  }

  @Test
  void supplementaryCharactersKeepJavaOffsets() {
    String s = SENTENCES.get(1);
    TokenizedText t = encoder.tokenize(s);
    int checked = 0;
    for (int i = 0; i < t.length(); i++) {
      if (t.special()[i]) {
        continue;
      }
      String span = s.substring(t.charStart()[i], t.charEnd()[i]);
      if (t.tokens()[i].equals("[UNK]")) {
        assertThat(span).isEqualTo("🙂"); // a surrogate pair: 2 UTF-16 units, 1 code point
        continue;
      }
      // the vocabulary is lower-cased and accent-stripped: normalise the span the same way
      String normalised =
          Normalizer.normalize(span.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
              .replaceAll("\\p{M}", "");
      assertThat(normalised).as("span of token %d", i).isEqualTo(t.tokens()[i].replace("##", ""));
      checked++;
    }
    assertThat(checked).isGreaterThan(10);
  }
}
