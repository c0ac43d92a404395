package io.semroute.tools.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.classifier.head.LexicalFeatures;
import io.semroute.classifier.head.LexicalLogits;
import io.semroute.classifier.head.Pooling;
import io.semroute.classifier.head.TokenShapeFeatures;
import io.semroute.classifier.registry.BaseEncoder;
import io.semroute.classifier.registry.HeadOnlyCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the head-only checkpoint folders that {@link HeadOnlyCheckpoint} reads: {@code
 * config.json} (architecture, {@code base_encoder}, {@code id2label}, head sizes, {@code
 * max_tokens}) and {@code model.safetensors} with {@code head.dense.*} (absent for a linear head)
 * and {@code classifier.*}; the model card {@code README.md} is written by the caller.
 */
public final class HeadOnlyCheckpointWriter {

  /**
   * Fine-tuned encoder layers to store beside the head: their indices and their tensors under the
   * base encoder's checkpoint names ({@link
   * io.semroute.classifier.encoder.bert.BertEncoder#checkpointNames}), written as float16 ({@code
   * half}, what training ships: half the bytes) or float32.
   */
  public record FineTunedLayers(
      List<Integer> layers, Map<String, EncoderLayers.Tensor> tensors, boolean half) {
    public FineTunedLayers(List<Integer> layers, Map<String, EncoderLayers.Tensor> tensors) {
      this(layers, tensors, true);
    }
  }

  /** Writes config.json and model.safetensors (the model card is written by the caller). */
  public static void write(
      Path dir, boolean token, MlpHead head, List<String> labels, int maxTokens, ObjectNode extra) {
    write(dir, token, head, null, labels, maxTokens, extra, false, null);
  }

  /**
   * A sequence head with an optional word n-gram layer ({@code lexical}, may be null): its idf and
   * weight are stored as {@code lexical.idf} and {@code lexical.weight}, and config.json says
   * {@code "lexical_features": {"scheme": ..., "buckets": ...}} so the loader adds its logits.
   */
  public static void write(
      Path dir,
      MlpHead head,
      LexicalLogits lexical,
      List<String> labels,
      int maxTokens,
      ObjectNode extra) {
    write(dir, false, head, lexical, labels, maxTokens, extra, false, null);
  }

  /**
   * As above, with fine-tuned encoder layers ({@code fineTuned}, may be null): config.json says
   * {@code "fine_tuned_encoder_layers": [5]} and the loader builds the encoder with them.
   */
  public static void write(
      Path dir,
      MlpHead head,
      LexicalLogits lexical,
      List<String> labels,
      int maxTokens,
      ObjectNode extra,
      FineTunedLayers fineTuned) {
    write(dir, false, head, lexical, labels, maxTokens, extra, false, fineTuned);
  }

  /**
   * As above, over {@code base} (config.json's {@code base_encoder}) with the head reading {@code
   * pooling} of its hidden states ({@code classifier_pooling}).
   */
  public static void write(
      Path dir,
      MlpHead head,
      LexicalLogits lexical,
      List<String> labels,
      int maxTokens,
      ObjectNode extra,
      FineTunedLayers fineTuned,
      BaseEncoder base,
      Pooling pooling) {
    write(dir, false, head, lexical, labels, maxTokens, extra, false, fineTuned, base, pooling);
  }

  /**
   * As above; {@code shapeFeatures}: a token head whose inputs include {@link TokenShapeFeatures}.
   */
  public static void write(
      Path dir,
      boolean token,
      MlpHead head,
      List<String> labels,
      int maxTokens,
      ObjectNode extra,
      boolean shapeFeatures) {
    write(dir, token, head, null, labels, maxTokens, extra, shapeFeatures, null);
  }

  /** As above, with fine-tuned encoder layers ({@code fineTuned}, may be null). */
  public static void write(
      Path dir,
      boolean token,
      MlpHead head,
      List<String> labels,
      int maxTokens,
      ObjectNode extra,
      boolean shapeFeatures,
      FineTunedLayers fineTuned) {
    write(dir, token, head, null, labels, maxTokens, extra, shapeFeatures, fineTuned);
  }

  private static void write(
      Path dir,
      boolean token,
      MlpHead head,
      LexicalLogits lexical,
      List<String> labels,
      int maxTokens,
      ObjectNode extra,
      boolean shapeFeatures,
      FineTunedLayers fineTuned) {
    write(
        dir,
        token,
        head,
        lexical,
        labels,
        maxTokens,
        extra,
        shapeFeatures,
        fineTuned,
        BaseEncoder.MINILM_L6,
        Pooling.MEAN);
  }

  private static void write(
      Path dir,
      boolean token,
      MlpHead head,
      LexicalLogits lexical,
      List<String> labels,
      int maxTokens,
      ObjectNode extra,
      boolean shapeFeatures,
      FineTunedLayers fineTuned,
      BaseEncoder base,
      Pooling pooling) {
    try {
      Files.createDirectories(dir);
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode c = mapper.createObjectNode();
      c.putArray("architectures")
          .add(token ? HeadOnlyCheckpoint.TOKEN_ARCH : HeadOnlyCheckpoint.SEQUENCE_ARCH);
      c.put("model_type", "semroute-head");
      c.put("base_encoder", base.id());
      c.put("hidden_size", head.inputSize());
      c.put("head_hidden_size", head.hidden());
      c.put("head_activation", "relu");
      if (!token) {
        c.put("classifier_pooling", pooling.name().toLowerCase(Locale.ROOT));
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
        ObjectNode lf = c.putObject(HeadOnlyCheckpoint.LEXICAL_KEY);
        lf.put("scheme", LexicalFeatures.SCHEME);
        lf.put("buckets", lexical.features().buckets());
      }
      if (fineTuned != null) {
        fineTuned.layers().forEach(c.putArray(HeadOnlyCheckpoint.FINE_TUNED_KEY)::add);
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

  private HeadOnlyCheckpointWriter() {}
}
