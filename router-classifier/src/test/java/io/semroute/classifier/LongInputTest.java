package io.semroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.encoder.modernbert.ModernBertEncoder;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.classifier.text.TokenizedText;
import io.semroute.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** Inputs far past the model's limit are cut head + tail, reported, and never crash. */
class LongInputTest {
  private static final LoadOptions CPU = LoadOptions.DEFAULT.withDevice(DeviceSpec.CPU);

  @Test
  void tenThousandTokenPromptOnModernBertIsTruncatedAndReported() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      sb.append('t').append(4 + i % 1000).append(' ');
    }
    String text = sb.toString().trim();
    try (SequenceClassifier c =
        ClassifierRegistry.openSequence(Fixtures.golden("modernbert/seq-cls-mean"), CPU)) {
      TokenizedText t = c.encoder().tokenize(text);
      assertThat(t.originalTokenCount()).isEqualTo(10_002);
      assertThat(t.length()).isEqualTo(512);
      assertThat(t.truncated()).isTrue();
      // [CLS], head of (510/4 = 127) tokens, tail of 383 tokens, [SEP]
      assertThat(t.ids()[0]).isEqualTo(1);
      assertThat(t.ids()[1]).isEqualTo(4);
      assertThat(t.ids()[127]).isEqualTo(4 + 126);
      assertThat(t.tokens()[128]).isEqualTo("t" + (4 + (10_000 - 383) % 1000));
      assertThat(t.ids()[511]).isEqualTo(2);
      // offsets still point into the original text
      assertThat(text.substring(t.charStart()[128], t.charEnd()[128])).isEqualTo(t.tokens()[128]);

      List<SequenceClassification> r = c.classify(List.of(text, "t5 t6"));
      assertThat(r.get(0).truncated()).isTrue();
      assertThat(r.get(0).tokenCount()).isEqualTo(512);
      assertThat(r.get(1).truncated()).isFalse();
      assertThat(r.get(0).confidence()).isBetween(0f, 1f);
    }
  }

  @Test
  void modernBertAttendsTenThousandTokensWholeByBlocks(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    // ModernBERT has no position table (rotary), so the golden weights can take a config with a
    // 16k-token limit: 10k tokens then run untruncated through the blocked attention path.
    Path src = Fixtures.golden("modernbert/seq-cls-mean");
    Files.copy(src.resolve("model.safetensors"), tmp.resolve("model.safetensors"));
    Files.copy(src.resolve("tokenizer.json"), tmp.resolve("tokenizer.json"));
    Files.writeString(
        tmp.resolve("config.json"),
        Files.readString(src.resolve("config.json"))
            .replace("\"max_position_embeddings\": 512", "\"max_position_embeddings\": 16384"));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      sb.append('t').append(4 + (i * 7) % 1000).append(' ');
    }
    String text = sb.toString().trim();
    try (SequenceClassifier c = ClassifierRegistry.openSequence(tmp, CPU)) {
      SequenceClassification a = c.classify(text);
      assertThat(a.truncated()).isFalse();
      assertThat(a.tokenCount()).isEqualTo(10_002);
      ((ModernBertEncoder) c.encoder().encoder()).setQueryBlock(1500);
      SequenceClassification b = c.classify(text);
      for (int i = 0; i < a.logits().length; i++) {
        assertThat(b.logits()[i]).isCloseTo(a.logits()[i], Assertions.within(1e-4f));
      }
    }
  }

  @Test
  void configuredBudgetAppliesToTheBuiltInEncoder() {
    String sentence = "The quick brown fox jumps over the lazy dog. ";
    String text = sentence.repeat(1000); // ~10k word pieces
    try (TextEmbedder e = ClassifierRegistry.builtinEmbedder(CPU.withMaxTokens(128))) {
      TokenizedText t = e.encoder().tokenize(text);
      assertThat(t.originalTokenCount()).isGreaterThan(10_000);
      assertThat(t.length()).isEqualTo(128);
      assertThat(t.truncated()).isTrue();
      float[] v = e.embed(text);
      double norm = 0;
      for (float f : v) {
        assertThat(Float.isFinite(f)).isTrue();
        norm += f * f;
      }
      assertThat(norm).isBetween(0.999, 1.001);
    }
  }

  @Test
  void tenThousandTokensAtTheModelLimitOfTheBuiltInEncoder() {
    String text = "lorem ipsum dolor sit amet ".repeat(2000);
    try (TextEmbedder e = ClassifierRegistry.builtinEmbedder(CPU)) {
      TokenizedText t = e.encoder().tokenize(text);
      assertThat(t.originalTokenCount()).isGreaterThan(10_000);
      assertThat(t.length()).isEqualTo(512);
      assertThat(e.embed(text)).hasSize(384);
    }
  }
}
