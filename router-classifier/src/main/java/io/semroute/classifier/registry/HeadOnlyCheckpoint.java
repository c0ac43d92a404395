package io.semroute.classifier.registry;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.TokenClassifier;
import io.semroute.classifier.checkpoint.CheckpointConfig;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.checkpoint.LabelSet;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.encoder.bert.BertEncoder;
import io.semroute.classifier.head.LexicalFeatures;
import io.semroute.classifier.head.LexicalLogits;
import io.semroute.classifier.head.Pooling;
import io.semroute.classifier.head.SequenceHead;
import io.semroute.classifier.head.TokenContext;
import io.semroute.classifier.head.TokenHead;
import io.semroute.classifier.head.TokenShapeFeatures;
import io.semroute.classifier.head.Transform;
import io.semroute.classifier.weights.Parameters;
import io.semroute.classifier.weights.SafetensorsFile;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Head-only checkpoint folders over the built-in encoder (all-MiniLM-L6-v2 from the classpath), as
 * {@code train} writes them (the writer lives in router-tools and uses the names declared here).
 * The encoder's 90 MB never need copying, so a trained domain, jailbreak or PII model is a few
 * hundred KB: {@code config.json} (architecture, {@code base_encoder}, {@code id2label}, head
 * sizes, {@code max_tokens}), {@code model.safetensors} with {@code head.dense.*} (absent for a
 * linear head) and {@code classifier.*}, and a model card {@code README.md}.
 *
 * <p>Architectures: {@value #SEQUENCE_ARCH} and {@value #TOKEN_ARCH}.
 */
public final class HeadOnlyCheckpoint {
  public static final String SEQUENCE_ARCH = "BuiltinEncoderHeadForSequenceClassification";
  public static final String TOKEN_ARCH = "BuiltinEncoderHeadForTokenClassification";
  public static final String BASE_ENCODER = "builtin:all-MiniLM-L6-v2";
  public static final String LEXICAL_KEY = "lexical_features";

  /** config.json key listing the encoder layers whose tensors model.safetensors overrides. */
  public static final String FINE_TUNED_KEY = "fine_tuned_encoder_layers";

  private HeadOnlyCheckpoint() {}

  /** True for the architectures of head-only folders. */
  static boolean isHeadOnly(String architecture) {
    return architecture.equals(SEQUENCE_ARCH) || architecture.equals(TOKEN_ARCH);
  }

  /**
   * Loads a sequence head over the shared built-in encoder; the classifier owns the head (and its
   * own layers).
   */
  static SequenceClassifier openSequence(Path dir, LoadOptions options) {
    Loaded l = load(dir, options, SEQUENCE_ARCH);
    SequenceHead head = new SequenceHead(l.pooling, l.transform, l.weight, l.bias);
    return new SequenceClassifier(l.encoder, head, l.labels, true, l.lexical);
  }

  /** Loads a token head over the shared built-in encoder; the classifier owns the head. */
  static TokenClassifier openToken(Path dir, LoadOptions options) {
    Loaded l = load(dir, options, TOKEN_ARCH);
    return new TokenClassifier(
        l.encoder, new TokenHead(l.transform, l.weight, l.bias, l.shapeFeatures), l.labels, true);
  }

  private record Loaded(
      TextEncoder encoder,
      Transform transform,
      NDArray weight,
      NDArray bias,
      LabelSet labels,
      LexicalLogits lexical,
      boolean shapeFeatures,
      Pooling pooling) {}

  private static Loaded load(Path dir, LoadOptions options, String expectedArch) {
    CheckpointConfig cfg = CheckpointConfig.read(dir.resolve("config.json"));
    if (!cfg.architecture().equals(expectedArch)) {
      throw new CheckpointFormatException(
          cfg.source() + ": architecture '" + cfg.architecture() + "', expected " + expectedArch);
    }
    BaseEncoder base = BaseEncoder.of(cfg.string("base_encoder", ""), cfg.source());
    if (base != BaseEncoder.MINILM_L6 && expectedArch.equals(TOKEN_ARCH)) {
      throw new CheckpointFormatException(
          cfg.source() + ": token heads need base_encoder " + BaseEncoder.MINILM_L6.id());
    }
    // Folders written before the key existed are mean-pooled MiniLM heads.
    Pooling pooling =
        Pooling.fromConfig(
            cfg.string("classifier_pooling", base.pooling().name().toLowerCase(Locale.ROOT)),
            cfg.source());
    List<String> labels = cfg.id2label();
    if (labels.isEmpty()) {
      throw new CheckpointFormatException(cfg.source() + ": id2label is missing");
    }
    int maxTokens = cfg.intOr("max_tokens", 256);
    LoadOptions opts = options.maxTokens() == 0 ? options.withMaxTokens(maxTokens) : options;
    List<String> overridden = fineTunedNames(dir, cfg);
    TextEncoder encoder;
    // Over the process's shared built-in weights: a head (even one with its own top layer) adds
    // only its own tensors, and heads on one base can share an encoder pass.
    if (overridden.isEmpty()) {
      encoder = BuiltinEncoder.loadShared(base, opts, null, List.of());
    } else {
      try (SafetensorsFile st = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
        encoder = BuiltinEncoder.loadShared(base, opts, st, overridden);
      }
    }
    try {
      NDManager m = encoder.headManager();
      boolean context = cfg.intOr("token_context", 0) == 1;
      String features = cfg.string("token_features", "");
      boolean shape = features.equals(TokenShapeFeatures.NAME);
      if (!features.isEmpty() && !shape) {
        throw new CheckpointFormatException(
            cfg.source()
                + ": token_features '"
                + features
                + "' is not supported (only "
                + TokenShapeFeatures.NAME
                + ")");
      }
      int in =
          (cfg.requireInt("hidden_size") + (shape ? TokenShapeFeatures.SIZE : 0))
              * (context ? 3 : 1);
      int hidden = cfg.intOr("head_hidden_size", 0);
      try (SafetensorsFile st = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
        Parameters p = new Parameters(m, st);
        Transform t = Transform.IDENTITY;
        int clsIn = in;
        if (hidden > 0) {
          NDArray w = p.require("head.dense.weight", hidden, in);
          NDArray b = p.require("head.dense.bias", hidden);
          t = x -> Activation.relu(Ops.linear(x, w, b));
          clsIn = hidden;
        }
        NDArray cw = p.require("classifier.weight", labels.size(), clsIn);
        NDArray cb = p.require("classifier.bias", labels.size());
        if (context) {
          Transform inner = t;
          t = x -> inner.apply(TokenContext.window(x));
        }
        return new Loaded(
            encoder,
            t,
            cw,
            cb,
            new LabelSet(labels, cfg.source() + " id2label"),
            lexical(dir, cfg, st, labels.size()),
            shape,
            pooling);
      }
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
  }

  /** Checkpoint names of the encoder tensors the folder overrides; empty for a head-only folder. */
  private static List<String> fineTunedNames(Path dir, CheckpointConfig cfg) {
    JsonNode layers = cfg.node(FINE_TUNED_KEY);
    if (layers == null || layers.isNull()) {
      return List.of();
    }
    if (!layers.isArray() || layers.isEmpty()) {
      throw new CheckpointFormatException(
          cfg.source() + ": " + FINE_TUNED_KEY + " must be a non-empty list of layer indices");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode n : layers) {
      if (!n.isInt() || n.asInt() < 0) {
        throw new CheckpointFormatException(
            cfg.source() + ": " + FINE_TUNED_KEY + " holds '" + n + "', not a layer index");
      }
      names.addAll(BertEncoder.checkpointNames(n.asInt()));
    }
    return names;
  }

  /** The optional word n-gram layer; folders written before it existed have none. */
  private static LexicalLogits lexical(
      Path dir, CheckpointConfig cfg, SafetensorsFile st, int classes) {
    JsonNode lf = cfg.node(LEXICAL_KEY);
    if (lf == null || lf.isNull()) {
      return null;
    }
    String scheme = lf.path("scheme").asText("");
    if (!scheme.equals(LexicalFeatures.SCHEME)) {
      throw new CheckpointFormatException(
          cfg.source()
              + ": "
              + LEXICAL_KEY
              + ".scheme '"
              + scheme
              + "' is not supported (only "
              + LexicalFeatures.SCHEME
              + ")");
    }
    int buckets = lf.path("buckets").asInt(0);
    if (buckets <= 0) {
      throw new CheckpointFormatException(
          cfg.source() + ": " + LEXICAL_KEY + ".buckets must be a positive integer");
    }
    float[] idf = plain(st, "lexical.idf", buckets);
    float[] w = plain(st, "lexical.weight", classes, buckets);
    return new LexicalLogits(new LexicalFeatures(idf), classes, w);
  }

  /** A tensor read into plain Java (the lexical layer runs without the engine). */
  private static float[] plain(SafetensorsFile st, String name, long... shape) {
    if (!st.has(name)) {
      throw new CheckpointFormatException(
          st.describe() + ": missing tensor '" + name + "' of shape " + Arrays.toString(shape));
    }
    if (!Arrays.equals(st.shape(name), shape)) {
      throw new CheckpointFormatException(
          st.describe()
              + ": tensor '"
              + name
              + "' has shape "
              + Arrays.toString(st.shape(name))
              + " but config.json implies "
              + Arrays.toString(shape));
    }
    FloatBuffer b = st.readFloat32(name).asFloatBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }
}
