package io.semroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.encoder.modernbert.ModernBertEncoder;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.classifier.text.TokenizedText;
import io.semroute.testkit.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three tiny ModernBERT checkpoints in ../shared/golden/modernbert must give the PyTorch
 * reference's hidden states and logits within 1e-4, batched (padded, masked) and one by one.
 */
class ModernBertGoldenTest {
  private static final double TOL = 1e-4;

  @ParameterizedTest
  @ValueSource(strings = {"seq-cls-mean", "seq-cls-cls", "token-cls"})
  void matchesReferenceBatchedAndSingly(String name) throws Exception {
    Path dir = Fixtures.golden("modernbert/" + name);
    JsonNode exp = Golden.expected(dir);
    List<String> texts = new ArrayList<>();
    exp.get("texts").forEach(t -> texts.add(t.asText()));
    LoadOptions cpu = LoadOptions.DEFAULT.withDevice(DeviceSpec.CPU);
    boolean sequence =
        ClassifierRegistry.kindOf(dir) == ClassifierRegistry.Kind.SEQUENCE_CLASSIFICATION;
    SequenceClassifier sequenceClassifier =
        sequence ? ClassifierRegistry.openSequence(dir, cpu) : null;
    TokenClassifier tokens = sequence ? null : ClassifierRegistry.openToken(dir, cpu);
    TextEncoder enc = sequence ? sequenceClassifier.encoder() : tokens.encoder();
    try {
      List<TokenizedText> tok = enc.tokenize(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(tok.get(i).ids())
            .as("token ids of text %d", i)
            .containsExactly(Golden.longs(exp.get("input_ids").get(i)));
      }
      // batched: all three, padded to the longest
      check(sequenceClassifier, tokens, enc, tok, exp, 0);
      // one at a time
      for (int i = 0; i < tok.size(); i++) {
        check(sequenceClassifier, tokens, enc, List.of(tok.get(i)), exp, i);
      }
      // the long-input path: attention by blocks of query rows, sliding-window layers reading
      // only their band of keys (blocks of 3 and 7 rows against the window of 8 and 20 tokens)
      for (int block : new int[] {3, 7}) {
        ((ModernBertEncoder) enc.encoder()).setQueryBlock(block);
        check(sequenceClassifier, tokens, enc, tok, exp, 0);
        check(sequenceClassifier, tokens, enc, List.of(tok.get(0)), exp, 0);
      }
      ((ModernBertEncoder) enc.encoder()).setQueryBlock(512);
    } finally {
      if (sequenceClassifier != null) {
        sequenceClassifier.close();
      } else {
        tokens.close();
      }
    }
  }

  private static void check(
      SequenceClassifier sequenceClassifier,
      TokenClassifier tokens,
      TextEncoder enc,
      List<TokenizedText> tok,
      JsonNode exp,
      int firstIndex) {
    try (EncodedBatch b = enc.encodeTokenized(tok)) {
      float[] hidden = b.hidden().toFloatArray();
      int seq = b.sequenceLength();
      int h = (int) b.hidden().getShape().get(2);
      for (int k = 0; k < tok.size(); k++) {
        JsonNode rows = exp.get("last_hidden_state").get(firstIndex + k);
        for (int t = 0; t < rows.size(); t++) {
          double d = Golden.maxDiff(hidden, (k * seq + t) * h, rows.get(t));
          assertThat(d).as("hidden state text %d token %d", firstIndex + k, t).isLessThan(TOL);
        }
      }
      if (sequenceClassifier != null) {
        List<SequenceClassification> r = sequenceClassifier.classify(b);
        for (int k = 0; k < tok.size(); k++) {
          double d = Golden.maxDiff(r.get(k).logits(), 0, exp.get("logits").get(firstIndex + k));
          assertThat(d).as("logits of text %d", firstIndex + k).isLessThan(TOL);
        }
      } else {
        List<float[][]> logits = tokens.logits(b);
        for (int k = 0; k < tok.size(); k++) {
          JsonNode rows = exp.get("logits").get(firstIndex + k);
          assertThat(logits.get(k).length).isEqualTo(rows.size());
          for (int t = 0; t < rows.size(); t++) {
            double d = Golden.maxDiff(logits.get(k)[t], 0, rows.get(t));
            assertThat(d).as("token logits text %d token %d", firstIndex + k, t).isLessThan(TOL);
          }
        }
      }
    }
  }
}
