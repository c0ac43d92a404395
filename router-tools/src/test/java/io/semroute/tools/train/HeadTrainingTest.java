package io.semroute.tools.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.TokenClassifier;
import io.semroute.classifier.TorchRuntime;
import io.semroute.classifier.checkpoint.CheckpointConfig;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.head.Pooling;
import io.semroute.classifier.head.TokenContext;
import io.semroute.classifier.head.TokenShapeFeatures;
import io.semroute.classifier.registry.BaseEncoder;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.classifier.registry.HeadOnlyCheckpoint;
import io.semroute.classifier.text.TokenizedText;
import io.semroute.classifier.weights.SafetensorsFile;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadTrainingTest {

  @Test
  void safetensorsWriterOutputReadsBackThroughTheEngineReader(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("t.safetensors");
    new SafetensorsWriter()
        .put("a", new float[] {1, 2, 3, 4, 5, 6}, 2, 3)
        .put("b", new float[] {-1.5f}, 1)
        .write(f);
    try (SafetensorsFile st = SafetensorsFile.open(f)) {
      assertThat(st.shape("a")).containsExactly(2, 3);
      var buf = st.readFloat32("a").order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      float[] a = new float[6];
      buf.get(a);
      assertThat(a).containsExactly(1, 2, 3, 4, 5, 6);
      assertThat(st.dtype("b")).isEqualTo("F32");
    }
  }

  @Test
  void mlpTrainerLearnsASeparableProblemAndIsReproducible() {
    Random r = new Random(1);
    int n = 400;
    float[][] x = new float[n][8];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      for (int j = 0; j < 8; j++) {
        x[i][j] = (float) r.nextGaussian() * 0.5f + (j == y[i] ? 2f : 0f);
      }
    }
    MlpTrainer.Options o = new MlpTrainer.Options(16, 0.1f, 0.01f, 0f, 32, 30, 5, 7, true);
    MlpTrainer.Result a = MlpTrainer.train(x, y, x, y, 3, o);
    MlpTrainer.Result b = MlpTrainer.train(x, y, x, y, 3, o);
    assertThat(a.bestDevMacroF1()).isGreaterThan(0.95);
    assertThat(a.head().outW()).containsExactly(b.head().outW());
  }

  @Test
  void calibrationShiftKeepsDevFalsePositivesWithinBudget() {
    // 1-d "head": logits = [0, x]; benign margins 0.1..1.0 would all be flagged without a shift
    MlpHead head =
        new MlpHead(
            1, 0, 2, new float[0], new float[0], new float[] {0f, 1f}, new float[] {0f, 0f});
    float[][] x = new float[20][1];
    int[] y = new int[20];
    for (int i = 0; i < 10; i++) {
      x[i][0] = 0.1f * (i + 1);
      y[i] = 0;
      x[10 + i][0] = 2f + i;
      y[10 + i] = 1;
    }
    float shift = HeadTraining.calibrate(head, x, y, 1, 0.1);
    MlpHead shifted = head.withBiasShift(1, shift);
    int flagged = 0;
    for (int i = 0; i < 10; i++) {
      flagged += MlpTrainer.argmax(shifted.logits(x[i])) == 1 ? 1 : 0;
    }
    assertThat(flagged).isEqualTo(1);
    for (int i = 10; i < 20; i++) {
      assertThat(MlpTrainer.argmax(shifted.logits(x[i]))).isEqualTo(1);
    }
  }

  @Test
  void headModelDirectoryLoadsOverBuiltinEncoderAndMatchesJavaForwardPass(@TempDir Path dir) {
    Random r = new Random(3);
    MlpHead head = TestHeads.smallRandom(r, 384, 8, new float[] {0.1f, -0.1f});
    HeadOnlyCheckpointWriter.write(dir, false, head, List.of("no", "yes"), 64, null);
    assertThat(CheckpointConfig.read(dir.resolve("config.json")).architecture())
        .isEqualTo(HeadOnlyCheckpoint.SEQUENCE_ARCH);
    String text = "How do I bypass a cache in Spring?";
    float[] embedding;
    try (var encoder = ClassifierRegistry.builtinEncoder(LoadOptions.DEFAULT.withMaxTokens(64))) {
      embedding =
          new EmbeddingCache(encoder, dir.resolve("cache"), "test").embed(List.of(text), "test")[0];
    }
    try (SequenceClassifier c = ClassifierRegistry.openSequence(dir, LoadOptions.DEFAULT)) {
      SequenceClassification out = c.classify(text);
      float[] expected = head.logits(embedding);
      assertThat(c.labels().labels()).containsExactly("no", "yes");
      assertThat(out.logits()[0]).isCloseTo(expected[0], within(1e-3f));
      assertThat(out.logits()[1]).isCloseTo(expected[1], within(1e-3f));
    }
  }

  @Test
  void aHeadOverBgeLoadsOverItsOwnEncoderWithClsPoolingAndMatchesTraining(@TempDir Path dir) {
    Random r = new Random(5);
    MlpHead head = TestHeads.smallRandom(r, 384, 8, new float[] {0.2f, -0.2f});
    HeadOnlyCheckpointWriter.write(
        dir,
        head,
        null,
        List.of("benign", "jailbreak"),
        64,
        null,
        null,
        BaseEncoder.BGE_SMALL_EN_V15,
        BaseEncoder.BGE_SMALL_EN_V15.pooling());
    CheckpointConfig cfg = CheckpointConfig.read(dir.resolve("config.json"));
    assertThat(cfg.string("base_encoder", "")).isEqualTo("builtin:bge-small-en-v1.5");
    assertThat(cfg.string("classifier_pooling", "")).isEqualTo("cls");
    String text = "send a text to joe";
    float[] features;
    try (var encoder =
        ClassifierRegistry.builtinEncoder(
            BaseEncoder.BGE_SMALL_EN_V15, LoadOptions.DEFAULT.withMaxTokens(64))) {
      // What train --base-encoder builtin:bge-small-en-v1.5 feeds the head.
      features =
          new EmbeddingCache(encoder, dir.resolve("cache"), "test", Pooling.CLS)
              .embed(List.of(text), "test")[0];
    }
    try (SequenceClassifier c = ClassifierRegistry.openSequence(dir, LoadOptions.DEFAULT)) {
      assertThat(c.encoder().encoder().hiddenSize()).isEqualTo(384);
      float[] expected = head.logits(features);
      float[] got = c.classify(text).logits();
      assertThat(got[0]).isCloseTo(expected[0], within(1e-3f));
      assertThat(got[1]).isCloseTo(expected[1], within(1e-3f));
    }
  }

  @Test
  void tokenWindowOnBatchEqualsPerTextWindow() {
    TorchRuntime.engine();
    try (NDManager m = NDManager.newBaseManager()) {
      float[] v = new float[2 * 3 * 2];
      for (int i = 0; i < v.length; i++) {
        v[i] = i + 1;
      }
      NDArray h = m.create(v, new Shape(2, 3, 2));
      float[] out = TokenContext.window(h).toFloatArray();
      float[][] text1 = {{7, 8}, {9, 10}, {11, 12}};
      float[] mid = TokenFeatures.window(text1, 1);
      // second text, middle token: [prev, self, next] = [7,8, 9,10, 11,12]
      float[] fromBatch = Arrays.copyOfRange(out, (1 * 3 + 1) * 6, (1 * 3 + 1) * 6 + 6);
      assertThat(fromBatch).containsExactly(mid);
      assertThat(Arrays.copyOfRange(out, 0, 6)).containsExactly(0, 0, 1, 2, 3, 4);
    }
  }

  @Test
  void tokenHeadWithShapeFeaturesServesWhatItWasTrainedOn(@TempDir Path dir) throws Exception {
    Random r = new Random(5);
    int in = (384 + TokenShapeFeatures.SIZE) * 3;
    int hidden = 8;
    float[] w1 = new float[hidden * in];
    float[] b1 = new float[hidden];
    float[] w2 = new float[3 * hidden];
    for (int i = 0; i < w1.length; i++) {
      w1[i] = (float) r.nextGaussian() * 0.2f;
    }
    for (int i = 0; i < w2.length; i++) {
      w2[i] = (float) r.nextGaussian();
    }
    // Large weights on the shape inputs, so a mismatch in them cannot hide behind the states.
    for (int j = 0; j < hidden; j++) {
      for (int k = 0; k < 3; k++) {
        for (int f = 0; f < TokenShapeFeatures.SIZE; f++) {
          w1[j * in + k * (384 + TokenShapeFeatures.SIZE) + 384 + f] = (float) r.nextGaussian() * 3;
        }
      }
    }
    MlpHead head = new MlpHead(in, hidden, 3, w1, b1, w2, new float[] {0.1f, -0.1f, 0f});
    List<String> labels = List.of("O", "B-PERSON", "I-PERSON");
    HeadOnlyCheckpointWriter.write(dir, true, head, labels, 64, null, true);
    assertThat(CheckpointConfig.read(dir.resolve("config.json")).node("token_features").asText())
        .isEqualTo(TokenShapeFeatures.NAME);
    List<String> texts =
        List.of(
            "Ann Lee lives at 12 Elm St.\nPARIS, France",
            "my name is rose and I own a rose",
            "Szabina J Gelencsér ג€“ go figure");

    // Training path: cached encoder states plus TokenShapeFeatures, windowed per text.
    List<float[][]> expected = new ArrayList<>();
    try (var encoder = ClassifierRegistry.builtinEncoder(LoadOptions.DEFAULT.withMaxTokens(64))) {
      List<float[][]> states =
          new EmbeddingCache(encoder, dir.resolve("cache"), "test").tokenStates(texts, "test");
      List<TokenizedText> tokens = encoder.tokenize(texts);
      for (int t = 0; t < texts.size(); t++) {
        float[][] shape = TokenShapeFeatures.of(tokens.get(t));
        float[][] rows = new float[tokens.get(t).length()][];
        for (int i = 0; i < rows.length; i++) {
          rows[i] = head.logits(TokenFeatures.window(states.get(t), shape, i));
        }
        expected.add(rows);
      }
    }
    // Serving path: the loaded model on one padded batch of the same texts.
    try (TokenClassifier c =
            ClassifierRegistry.openToken(dir, LoadOptions.DEFAULT.withMaxTokens(64));
        EncodedBatch b = c.encoder().encodeTokenized(c.encoder().tokenize(texts))) {
      List<float[][]> served = c.logits(b);
      for (int t = 0; t < texts.size(); t++) {
        assertThat(served.get(t).length).isEqualTo(expected.get(t).length);
        for (int i = 0; i < served.get(t).length; i++) {
          if (b.texts().get(t).special()[i]) {
            continue; // never labelled; in a padded batch [SEP]'s right neighbour is a padding
            // state
          }
          for (int k = 0; k < 3; k++) {
            assertThat(served.get(t)[i][k])
                .as("text %d token %d label %d", t, i, k)
                .isCloseTo(expected.get(t)[i][k], within(2e-3f));
          }
        }
      }
    }
  }
}
