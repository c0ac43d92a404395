package io.semroute.classifier.outcome;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.classifier.weights.SafetensorsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An outcomes folder written by {@code train --task outcomes}: the model pool with mean costs, the
 * default policy's target, and the {@link OutcomeHead} weights over the built-in encoder.
 *
 * <p>{@code config.json}: {@code architecture: BuiltinEncoderOutcomeHead}, {@code max_tokens},
 * {@code models: [{name, mean_cost_usd, train_success}]}, {@code policy: {type:
 * cheapest_reaching_target, target}}. {@code model.safetensors}: {@code feature.mean}, {@code
 * feature.scale} [F], {@code outcome.weight} [M, F], {@code outcome.bias} [M].
 */
public final class OutcomeModel implements AutoCloseable {
  public static final String ARCHITECTURE = "BuiltinEncoderOutcomeHead";

  /** One model of the pool. */
  public record PoolModel(String name, double meanCostUsd, double trainSuccess) {}

  private final OutcomeHead head;
  private final List<PoolModel> pool;
  private final double target;
  private final int maxTokens;
  private final TextEncoder encoder;

  public OutcomeModel(
      OutcomeHead head, List<PoolModel> pool, double target, int maxTokens, TextEncoder encoder) {
    this.head = head;
    this.pool = List.copyOf(pool);
    this.target = target;
    this.maxTokens = maxTokens;
    this.encoder = encoder;
    if (!head.models().equals(pool.stream().map(PoolModel::name).toList())) {
      throw new IllegalArgumentException(
          "head models " + head.models() + " differ from pool " + pool);
    }
  }

  public static boolean isOutcomeFolder(Path dir) {
    Path cfg = dir.resolve("config.json");
    if (!Files.isRegularFile(cfg)) {
      return false;
    }
    try {
      return ARCHITECTURE.equals(
          new ObjectMapper().readTree(cfg.toFile()).path("architecture").asText());
    } catch (IOException e) {
      return false;
    }
  }

  /** Opens the folder and, when {@code withEncoder}, the built-in encoder it was trained over. */
  public static OutcomeModel open(Path dir, LoadOptions options, boolean withEncoder) {
    Path cfgFile = dir.resolve("config.json");
    JsonNode cfg;
    try {
      cfg = new ObjectMapper().readTree(cfgFile.toFile());
    } catch (IOException e) {
      throw new CheckpointFormatException(cfgFile + ": cannot read: " + e.getMessage(), e);
    }
    if (!ARCHITECTURE.equals(cfg.path("architecture").asText())) {
      throw new CheckpointFormatException(cfgFile + ": architecture is not " + ARCHITECTURE);
    }
    List<PoolModel> pool = new ArrayList<>();
    for (JsonNode m : cfg.path("models")) {
      pool.add(
          new PoolModel(
              m.path("name").asText(),
              m.path("mean_cost_usd").asDouble(),
              m.path("train_success").asDouble()));
    }
    if (pool.isEmpty()) {
      throw new CheckpointFormatException(cfgFile + ": models is empty");
    }
    double target = cfg.path("policy").path("target").asDouble(0.5);
    int maxTokens = cfg.path("max_tokens").asInt(256);
    OutcomeHead head;
    try (SafetensorsFile st = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
      float[] mean = floats(st.readFloat32("feature.mean"));
      float[] scale = floats(st.readFloat32("feature.scale"));
      float[] w = floats(st.readFloat32("outcome.weight"));
      float[] bias = floats(st.readFloat32("outcome.bias"));
      float[][] weight = new float[pool.size()][];
      for (int m = 0; m < weight.length; m++) {
        weight[m] = Arrays.copyOfRange(w, m * mean.length, (m + 1) * mean.length);
      }
      head =
          new OutcomeHead(pool.stream().map(PoolModel::name).toList(), mean, scale, weight, bias);
    }
    TextEncoder encoder =
        withEncoder
            ? ClassifierRegistry.sharedBuiltinEncoder(options.withMaxTokens(maxTokens))
            : null;
    return new OutcomeModel(head, pool, target, maxTokens, encoder);
  }

  private static float[] floats(ByteBuffer b) {
    float[] f = new float[b.remaining() / 4];
    b.asFloatBuffer().get(f);
    return f;
  }

  public OutcomeHead head() {
    return head;
  }

  public List<PoolModel> pool() {
    return pool;
  }

  public List<String> models() {
    return head.models();
  }

  public double[] meanCosts() {
    return pool.stream().mapToDouble(PoolModel::meanCostUsd).toArray();
  }

  /** The default policy's knob. */
  public double target() {
    return target;
  }

  public int maxTokens() {
    return maxTokens;
  }

  /** Predicted success per model for each prompt (needs the encoder). */
  public List<double[]> predict(List<String> prompts) {
    if (encoder == null) {
      throw new IllegalStateException("opened without the encoder");
    }
    try (EncodedBatch b = encoder.encode(prompts)) {
      return predict(b);
    }
  }

  /**
   * Predicted success per model for each text of a batch this folder's encoder encoded (a shared
   * encoder pass, e.g. the serving micro-batcher's); does not close the batch.
   */
  public List<double[]> predict(EncodedBatch b) {
    int h = (int) b.hidden().getShape().get(2);
    float[] flat = Ops.noGrad(() -> Ops.meanPool(b.hidden(), b.attentionMask()).toFloatArray());
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < b.size(); i++) {
      float[] pooled = Arrays.copyOfRange(flat, i * h, (i + 1) * h);
      out.add(head.predict(OutcomeFeatures.of(pooled, b.texts().get(i).text())));
    }
    return out;
  }

  /** The built-in encoder this folder reads (null when opened without it). */
  public TextEncoder encoder() {
    return encoder;
  }

  /** The default policy over the whole pool: index of the chosen model. */
  public int choose(double[] success) {
    return CostQualityPolicy.choose(success, meanCosts(), target);
  }

  @Override
  public void close() {
    if (encoder != null) {
      encoder.close();
    }
  }
}
