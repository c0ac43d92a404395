package io.semroute.classifier.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.classifier.BuiltinEncoder;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.TokenClassifier;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.head.LexicalFeatures;
import io.semroute.classifier.head.LexicalLogits;
import io.semroute.classifier.head.Pooling;
import io.semroute.classifier.head.SequenceHead;
import io.semroute.classifier.head.TokenHead;
import io.semroute.classifier.head.TokenShapeFeatures;
import io.semroute.classifier.head.Transform;
import io.semroute.classifier.model.LabelSet;
import io.semroute.classifier.model.ModelConfig;
import io.semroute.classifier.model.ModelFormatException;
import io.semroute.classifier.weights.Parameters;
import io.semroute.classifier.weights.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Head-only model directories over the built-in encoder (all-MiniLM-L6-v2 from the classpath).
 * The encoder's 90 MB never need copying, so a trained domain, jailbreak or PII model is a few
 * hundred KB: {@code config.json} (architecture, {@code base_encoder}, {@code id2label}, head
 * sizes, {@code max_tokens}), {@code model.safetensors} with {@code head.dense.*} (absent for a
 * linear head) and {@code classifier.*}, and a model card {@code README.md}.
 *
 * <p>Architectures: {@value #SEQUENCE_ARCH} and {@value #TOKEN_ARCH}.
 */
public final class HeadModels {
  public static final String SEQUENCE_ARCH = "BuiltinEncoderHeadForSequenceClassification";
  public static final String TOKEN_ARCH = "BuiltinEncoderHeadForTokenClassification";
  public static final String BASE_ENCODER = "builtin:all-MiniLM-L6-v2";
  static final String LEXICAL_KEY = "lexical_features";
  /** config.json key listing the encoder layers whose tensors model.safetensors overrides. */
  public static final String FINE_TUNED_KEY = "fine_tuned_encoder_layers";

  /**
   * Fine-tuned encoder layers to store beside the head: their indices and their tensors under the
   * base encoder's checkpoint names ({@link EncoderLayers#checkpointNames}), written as float16
   * ({@code half}, what training ships: half the bytes) or float32.
   */
  public record FineTunedLayers(List<Integer> layers, java.util.Map<String, EncoderLayers.Tensor> tensors, boolean half) {
    public FineTunedLayers(List<Integer> layers, java.util.Map<String, EncoderLayers.Tensor> tensors) {
      this(layers, tensors, true);
    }
  }

  private HeadModels() {}

  /** True when {@code dir/config.json} declares one of this class's head-only architectures. */
  public static boolean isHeadModel(Path dir) {
    Path cfg = dir.resolve("config.json");
    if (!Files.isRegularFile(cfg)) {
      return false;
    }
    String arch = ModelConfig.read(cfg).architecture();
    return arch.equals(SEQUENCE_ARCH) || arch.equals(TOKEN_ARCH);
  }

  /** Writes config.json and model.safetensors (the model card is written by the caller). */
  public static void write(Path dir, boolean token, MlpHead head, List<String> labels, int maxTokens, ObjectNode extra) {
    write(dir, token, head, null, labels, maxTokens, extra, false, null);
  }

  /**
   * A sequence head with an optional word n-gram layer ({@code lexical}, may be null): its idf
   * and weight are stored as {@code lexical.idf} and {@code lexical.weight}, and config.json says
   * {@code "lexical_features": {"scheme": ..., "buckets": ...}} so the loader adds its logits.
   */
  public static void write(Path dir, MlpHead head, LexicalLogits lexical, List<String> labels, int maxTokens,
      ObjectNode extra) {
    write(dir, false, head, lexical, labels, maxTokens, extra, false, null);
  }

  /**
   * As above, with fine-tuned encoder layers ({@code fineTuned}, may be null): config.json says
   * {@code "fine_tuned_encoder_layers": [5]} and the loader builds the encoder with them.
   */
  public static void write(Path dir, MlpHead head, LexicalLogits lexical, List<String> labels, int maxTokens,
      ObjectNode extra, FineTunedLayers fineTuned) {
    write(dir, false, head, lexical, labels, maxTokens, extra, false, fineTuned);
  }

  /** As above; {@code shapeFeatures}: a token head whose inputs include {@link TokenShapeFeatures}. */
  public static void write(Path dir, boolean token, MlpHead head, List<String> labels, int maxTokens, ObjectNode extra,
      boolean shapeFeatures) {
    write(dir, token, head, null, labels, maxTokens, extra, shapeFeatures, null);
  }

  /** As above, with fine-tuned encoder layers ({@code fineTuned}, may be null). */
  public static void write(Path dir, boolean token, MlpHead head, List<String> labels, int maxTokens, ObjectNode extra,
      boolean shapeFeatures, FineTunedLayers fineTuned) {
    write(dir, token, head, null, labels, maxTokens, extra, shapeFeatures, fineTuned);
  }

  private static void write(Path dir, boolean token, MlpHead head, LexicalLogits lexical, List<String> labels,
      int maxTokens, ObjectNode extra, boolean shapeFeatures, FineTunedLayers fineTuned) {
    try {
      Files.createDirectories(dir);
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode c = mapper.createObjectNode();
      c.putArray("architectures").add(token ? TOKEN_ARCH : SEQUENCE_ARCH);
      c.put("model_type", "semroute-head");
      c.put("base_encoder", BASE_ENCODER);
      c.put("hidden_size", head.inputSize());
      c.put("head_hidden_size", head.hidden());
      c.put("head_activation", "relu");
      if (!token) {
        c.put("classifier_pooling", "mean");
      } else {
        // Token features are [previous, self, next] encoder states (TokenFeatures).
        c.put("token_context", 1);
        int shape = shapeFeatures ? TokenShapeFeatures.SIZE : 0;
        c.put("hidden_size", head.inputSize() / 3 - shape);
        if (shapeFeatures) {
          // Each of the three positions is [encoder state, shape features] (TokenShapeFeatures).
          c.put("token_features", TokenShapeFeatures.NAME);
          c.put("token_features_size", shape);
        }
      }
      c.put("max_tokens", maxTokens);
      c.put("num_labels", labels.size());
      ObjectNode id2label = c.putObject("id2label");
      ObjectNode label2id = c.putObject("label2id");
      for (int i = 0; i < labels.size(); i++) {
        id2label.put(Integer.toString(i), labels.get(i));
        label2id.put(labels.get(i), i);
      }
      if (lexical != null) {
        ObjectNode lf = c.putObject(LEXICAL_KEY);
        lf.put("scheme", LexicalFeatures.SCHEME);
        lf.put("buckets", lexical.features().buckets());
      }
      if (fineTuned != null) {
        fineTuned.layers().forEach(c.putArray(FINE_TUNED_KEY)::add);
        c.put("fine_tuned_encoder_dtype", fineTuned.half() ? "float16" : "float32");
      }
      if (extra != null) {
        c.set("training", extra);
      }
      mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), c);
      SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
      if (head.hidden() > 0) {
        w.put("head.dense.weight", head.denseW(), head.hidden(), head.inputSize());
        w.put("head.dense.bias", head.denseB(), head.hidden());
      }
      w.put("classifier.weight", head.outW(), head.classes(), head.classifierInput());
      w.put("classifier.bias", head.outB(), head.classes());
      if (lexical != null) {
        w.put("lexical.idf", lexical.features().idf(), lexical.features().buckets());
        w.put("lexical.weight", lexical.weight(), lexical.classes(), lexical.features().buckets());
      }
      if (fineTuned != null) {
        for (var e : fineTuned.tensors().entrySet()) {
          if (fineTuned.half()) {
            w.putFloat16(e.getKey(), e.getValue().values(), e.getValue().shape());
          } else {
            w.put(e.getKey(), e.getValue().values(), e.getValue().shape());
          }
        }
      }
      w.write(dir.resolve("model.safetensors"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model to " + dir, e);
    }
  }

  /** Loads a sequence head over a freshly loaded built-in encoder; the classifier owns both. */
  public static SequenceClassifier openSequence(Path dir, LoadOptions options) {
    Loaded l = load(dir, options, SEQUENCE_ARCH);
    SequenceHead head = new SequenceHead(Pooling.MEAN, l.transform, l.weight, l.bias);
    return new SequenceClassifier(l.encoder, head, l.labels, true, l.lexical);
  }

  /** Loads a token head over a freshly loaded built-in encoder; the classifier owns both. */
  public static TokenClassifier openToken(Path dir, LoadOptions options) {
    Loaded l = load(dir, options, TOKEN_ARCH);
    return new TokenClassifier(l.encoder, new TokenHead(l.transform, l.weight, l.bias, l.shapeFeatures), l.labels, true);
  }

  private record Loaded(TextEncoder encoder, Transform transform, NDArray weight, NDArray bias, LabelSet labels,
      LexicalLogits lexical, boolean shapeFeatures) {}

  private static Loaded load(Path dir, LoadOptions options, String expectedArch) {
    ModelConfig cfg = ModelConfig.read(dir.resolve("config.json"));
    if (!cfg.architecture().equals(expectedArch)) {
      throw new ModelFormatException(cfg.source() + ": architecture '" + cfg.architecture() + "', expected " + expectedArch);
    }
    String base = cfg.string("base_encoder", "");
    if (!base.equals(BASE_ENCODER)) {
      throw new ModelFormatException(cfg.source() + ": base_encoder '" + base + "' is not supported (only " + BASE_ENCODER + ")");
    }
    List<String> labels = cfg.id2label();
    if (labels.isEmpty()) {
      throw new ModelFormatException(cfg.source() + ": id2label is missing");
    }
    int maxTokens = cfg.intOr("max_tokens", 256);
    LoadOptions opts = options.maxTokens() == 0 ? options.withMaxTokens(maxTokens) : options;
    List<String> overridden = fineTunedNames(dir, cfg);
    TextEncoder encoder;
    if (overridden.isEmpty()) {
      encoder = BuiltinEncoder.load(opts);
    } else {
      try (SafetensorsFile st = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
        encoder = BuiltinEncoder.load(opts, st, overridden);
      }
    }
    try {
      NDManager m = encoder.encoder().parameters().manager();
      boolean context = cfg.intOr("token_context", 0) == 1;
      String features = cfg.string("token_features", "");
      boolean shape = features.equals(TokenShapeFeatures.NAME);
      if (!features.isEmpty() && !shape) {
        throw new ModelFormatException(cfg.source() + ": token_features '" + features + "' is not supported (only "
            + TokenShapeFeatures.NAME + ")");
      }
      int in = (cfg.requireInt("hidden_size") + (shape ? TokenShapeFeatures.SIZE : 0)) * (context ? 3 : 1);
      int hidden = cfg.intOr("head_hidden_size", 0);
      try (SafetensorsFile st = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
        Parameters p = new Parameters(m, st);
        Transform t = Transform.IDENTITY;
        int clsIn = in;
        if (hidden > 0) {
          NDArray w = p.require("head.dense.weight", hidden, in);
          NDArray b = p.require("head.dense.bias", hidden);
          t = x -> ai.djl.nn.Activation.relu(Ops.linear(x, w, b));
          clsIn = hidden;
        }
        NDArray cw = p.require("classifier.weight", labels.size(), clsIn);
        NDArray cb = p.require("classifier.bias", labels.size());
        if (context) {
          Transform inner = t;
          t = x -> inner.apply(TokenFeatures.window(x));
        }
        return new Loaded(encoder, t, cw, cb, new LabelSet(labels, cfg.source() + " id2label"),
            lexical(dir, cfg, st, labels.size()), shape);
      }
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
  }

  /** Checkpoint names of the encoder tensors the folder overrides; empty for a head-only folder. */
  private static List<String> fineTunedNames(Path dir, ModelConfig cfg) {
    JsonNode layers = readConfig(dir).get(FINE_TUNED_KEY);
    if (layers == null || layers.isNull()) {
      return List.of();
    }
    if (!layers.isArray() || layers.isEmpty()) {
      throw new ModelFormatException(cfg.source() + ": " + FINE_TUNED_KEY + " must be a non-empty list of layer indices");
    }
    List<String> names = new java.util.ArrayList<>();
    for (JsonNode n : layers) {
      if (!n.isInt() || n.asInt() < 0) {
        throw new ModelFormatException(cfg.source() + ": " + FINE_TUNED_KEY + " holds '" + n + "', not a layer index");
      }
      names.addAll(EncoderLayers.checkpointNames(n.asInt()));
    }
    return names;
  }

  /** The optional word n-gram layer; folders written before it existed have none. */
  private static LexicalLogits lexical(Path dir, ModelConfig cfg, SafetensorsFile st, int classes) {
    JsonNode lf = readConfig(dir).get(LEXICAL_KEY);
    if (lf == null || lf.isNull()) {
      return null;
    }
    String scheme = lf.path("scheme").asText("");
    if (!scheme.equals(LexicalFeatures.SCHEME)) {
      throw new ModelFormatException(cfg.source() + ": " + LEXICAL_KEY + ".scheme '" + scheme + "' is not supported (only "
          + LexicalFeatures.SCHEME + ")");
    }
    int buckets = lf.path("buckets").asInt(0);
    if (buckets <= 0) {
      throw new ModelFormatException(cfg.source() + ": " + LEXICAL_KEY + ".buckets must be a positive integer");
    }
    float[] idf = plain(st, "lexical.idf", buckets);
    float[] w = plain(st, "lexical.weight", classes, buckets);
    return new LexicalLogits(new LexicalFeatures(idf), classes, w);
  }

  /** A tensor read into plain Java (the lexical layer runs without the engine). */
  private static float[] plain(SafetensorsFile st, String name, long... shape) {
    if (!st.has(name)) {
      throw new ModelFormatException(st.describe() + ": missing tensor '" + name + "' of shape " + java.util.Arrays.toString(shape));
    }
    if (!java.util.Arrays.equals(st.shape(name), shape)) {
      throw new ModelFormatException(st.describe() + ": tensor '" + name + "' has shape " + java.util.Arrays.toString(st.shape(name))
          + " but config.json implies " + java.util.Arrays.toString(shape));
    }
    java.nio.FloatBuffer b = st.readFloat32(name).asFloatBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }

  static JsonNode readConfig(Path dir) {
    try {
      return new ObjectMapper().readTree(dir.resolve("config.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
