package io.semroute.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.DeviceSpec;
import io.semroute.classifier.Entity;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.TokenClassification;
import io.semroute.classifier.TokenClassifier;
import io.semroute.classifier.TokenLabel;
import io.semroute.classifier.onnx.OnnxInitializers;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.classifier.text.TokenizedText;
import io.semroute.tools.train.SafetensorsWriter;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BertForSequenceClassification / BertForTokenClassification directories in Hugging Face layout,
 * built from the real MiniLM weights (renamed under "bert.") plus random pooler and classifier, the
 * sequence one sharded. Oracle: ONNX Runtime's hidden states for the same ids, with the pooler and
 * classifier applied in plain Java.
 */
class BertCheckpointTest {
  private static final LoadOptions CPU = LoadOptions.DEFAULT.withDevice(DeviceSpec.CPU);
  private static final int H = 384;
  private static final List<String> TEXTS =
      List.of("Is this a question about law?", "Compute the integral of x squared from 0 to 1.");

  @TempDir static Path tmp;
  private static float[] poolerW;
  private static float[] poolerB;
  private static float[] clsW;
  private static float[] clsB;
  private static final int LABELS = 4;

  @BeforeAll
  static void writeCheckpoints() throws Exception {
    OnnxInitializers onnx = OnnxInitializers.parse(OrtMiniLm.graph(), "minilm");
    Random r = new Random(42);
    poolerW = random(r, H * H, 0.05f);
    poolerB = random(r, H, 0.05f);
    clsW = random(r, LABELS * H, 0.2f);
    clsB = random(r, LABELS, 0.2f);

    SafetensorsWriter shard1 = new SafetensorsWriter();
    SafetensorsWriter shard2 = new SafetensorsWriter();
    SafetensorsWriter tokenModel = new SafetensorsWriter();
    StringBuilder weightMap = new StringBuilder();
    for (String name : onnx.names()) {
      if ((!name.startsWith("embeddings.") && !name.startsWith("encoder."))
          || name.endsWith("position_ids")) {
        continue;
      }
      long[] shape = onnx.shape(name);
      float[] v = floats(onnx.readFloat32(name));
      boolean first =
          name.startsWith("embeddings.") || name.matches("encoder\\.layer\\.[0-2]\\..*");
      (first ? shard1 : shard2).put("bert." + name, v, shape);
      tokenModel.put("bert." + name, v, shape);
      weightMap
          .append(weightMap.length() == 0 ? "" : ",")
          .append('"')
          .append("bert.")
          .append(name)
          .append("\":\"")
          .append(first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors")
          .append('"');
    }
    shard2
        .put("bert.pooler.dense.weight", poolerW, H, H)
        .put("bert.pooler.dense.bias", poolerB, H)
        .put("classifier.weight", clsW, LABELS, H)
        .put("classifier.bias", clsB, LABELS);
    for (String n :
        new String[] {
          "bert.pooler.dense.weight",
          "bert.pooler.dense.bias",
          "classifier.weight",
          "classifier.bias"
        }) {
      weightMap.append(",\"").append(n).append("\":\"model-00002-of-00002.safetensors\"");
    }
    tokenModel.put("classifier.weight", clsW, LABELS, H).put("classifier.bias", clsB, LABELS);

    Path seq = Files.createDirectories(tmp.resolve("bert-seq"));
    shard1.write(seq.resolve("model-00001-of-00002.safetensors"));
    shard2.write(seq.resolve("model-00002-of-00002.safetensors"));
    Files.writeString(
        seq.resolve("model.safetensors.index.json"),
        "{\"metadata\":{},\"weight_map\":{" + weightMap + "}}");
    Files.writeString(seq.resolve("config.json"), config("BertForSequenceClassification"));
    copyTokenizer(seq);

    Path tok = Files.createDirectories(tmp.resolve("bert-tok"));
    tokenModel.write(tok.resolve("model.safetensors"));
    Files.writeString(tok.resolve("config.json"), config("BertForTokenClassification"));
    copyTokenizer(tok);
  }

  private static String config(String arch) {
    return "{\"architectures\":[\""
        + arch
        + "\"],\"model_type\":\"bert\",\"hidden_size\":384,\"num_attention_heads\":12,"
        + "\"num_hidden_layers\":6,\"intermediate_size\":1536,\"vocab_size\":30522,\"max_position_embeddings\":512,"
        + "\"type_vocab_size\":2,\"layer_norm_eps\":1e-12,\"hidden_act\":\"gelu\",\"pad_token_id\":0,"
        + "\"id2label\":{\"0\":\"O\",\"1\":\"B-X\",\"2\":\"I-X\",\"3\":\"B-Y\"}}";
  }

  private static void copyTokenizer(Path dir) throws Exception {
    try (InputStream in =
        BertCheckpointTest.class
            .getClassLoader()
            .getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
      Files.copy(in, dir.resolve("tokenizer.json"));
    }
  }

  private static float[] random(Random r, int n, float std) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) r.nextGaussian() * std;
    }
    return f;
  }

  private static float[] floats(ByteBuffer b) {
    float[] f = new float[b.remaining() / 4];
    b.asFloatBuffer().get(f);
    return f;
  }

  private static double[] linear(float[] x, float[] w, float[] b, int out) {
    double[] y = new double[out];
    for (int o = 0; o < out; o++) {
      double s = b[o];
      for (int i = 0; i < x.length; i++) {
        s += (double) w[o * x.length + i] * x[i];
      }
      y[o] = s;
    }
    return y;
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  @Test
  void shardedSequenceClassifierMatchesOracle() throws Exception {
    try (SequenceClassifier c = ClassifierRegistry.openSequence(tmp.resolve("bert-seq"), CPU);
        OrtLastHidden ort = new OrtLastHidden(1)) {
      List<SequenceClassification> got = c.classify(TEXTS);
      for (int k = 0; k < TEXTS.size(); k++) {
        TokenizedText t = c.encoder().tokenize(TEXTS.get(k));
        float[] cls = ort.lastHidden(t.ids())[0];
        double[] pooled = linear(cls, poolerW, poolerB, H);
        for (int i = 0; i < H; i++) {
          pooled[i] = Math.tanh(pooled[i]);
        }
        double[] want = linear(toFloat(pooled), clsW, clsB, LABELS);
        for (int l = 0; l < LABELS; l++) {
          assertThat((double) got.get(k).logits()[l])
              .as("text %d logit %d", k, l)
              .isCloseTo(want[l], Assertions.within(1e-4));
        }
      }
    }
  }

  @Test
  void tokenClassifierMatchesOracleAndMergesSpans() throws Exception {
    try (TokenClassifier c = ClassifierRegistry.openToken(tmp.resolve("bert-tok"), CPU);
        OrtLastHidden ort = new OrtLastHidden(1)) {
      List<TokenClassification> got = c.classify(TEXTS);
      for (int k = 0; k < TEXTS.size(); k++) {
        TokenizedText t = c.encoder().tokenize(TEXTS.get(k));
        float[][] hidden = ort.lastHidden(t.ids());
        List<TokenLabel> labels = got.get(k).tokens();
        assertThat(labels).hasSize(t.length() - 2);
        for (int i = 1; i < t.length() - 1; i++) {
          double[] want = linear(hidden[i], clsW, clsB, LABELS);
          int best = 0;
          for (int l = 1; l < LABELS; l++) {
            if (want[l] > want[best]) {
              best = l;
            }
          }
          TokenLabel tl = labels.get(i - 1);
          assertThat(tl.label()).isEqualTo(c.labels().get(best));
          assertThat(tl.token()).isEqualTo(t.tokens()[i]);
        }
        for (Entity e : got.get(k).entities()) {
          assertThat(e.type()).isIn("X", "Y");
          assertThat(TEXTS.get(k).substring(e.start(), e.end())).isEqualTo(e.text());
        }
      }
    }
  }
}
