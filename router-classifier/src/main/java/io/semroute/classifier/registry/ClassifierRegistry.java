package io.semroute.classifier.registry;

import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.TextEmbedder;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.TokenClassifier;
import io.semroute.classifier.checkpoint.CheckpointConfig;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.pii.PatternPiiDetector;
import io.semroute.classifier.pii.PiiDetector;
import io.semroute.classifier.weights.TensorSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The one way to open a classifier checkpoint folder, whatever its layout; its {@code config.json}
 * ({@code architectures}) decides: a head-only folder written by {@code train} (a few hundred KB
 * over the built-in encoder, {@link HeadOnlyCheckpoint}) or a Hugging Face ModernBERT/BERT
 * checkpoint ({@link HuggingFaceCheckpoint}). So one config path can point at either, and swapping
 * the shipped domain head for a ModernBERT classifier is a one-line change. The built-in
 * all-MiniLM-L6-v2 encoder comes from the classpath ({@link #builtinEncoder}).
 */
public final class ClassifierRegistry {

  /** What a checkpoint folder's head does. */
  public enum Kind {
    SEQUENCE_CLASSIFICATION,
    TOKEN_CLASSIFICATION,
    ENCODER_ONLY
  }

  private ClassifierRegistry() {}

  /** What the folder's {@code config.json} declares, without loading any weights. */
  public static Kind kindOf(Path dir) {
    requireFolder(dir);
    CheckpointConfig cfg = CheckpointConfig.read(dir.resolve("config.json"));
    String arch = cfg.architecture();
    if (HeadOnlyCheckpoint.isHeadOnly(arch)) {
      return arch.equals(HeadOnlyCheckpoint.TOKEN_ARCH)
          ? Kind.TOKEN_CLASSIFICATION
          : Kind.SEQUENCE_CLASSIFICATION;
    }
    return HuggingFaceCheckpoint.kindOf(arch, cfg);
  }

  /** A sequence classifier (domain, jailbreak...) from either layout. */
  public static SequenceClassifier openSequence(Path dir, LoadOptions options) {
    return isHeadOnly(dir)
        ? HeadOnlyCheckpoint.openSequence(dir, options)
        : HuggingFaceCheckpoint.load(dir, options).sequenceClassifier();
  }

  /** A token classifier from either layout. */
  public static TokenClassifier openToken(Path dir, LoadOptions options) {
    return isHeadOnly(dir)
        ? HeadOnlyCheckpoint.openToken(dir, options)
        : HuggingFaceCheckpoint.load(dir, options).tokenClassifier();
  }

  /**
   * The encoder of a Hugging Face checkpoint of any kind (its head, if any, is not used); the
   * caller owns it.
   */
  public static TextEncoder openEncoder(Path dir, LoadOptions options) {
    requireFolder(dir);
    return HuggingFaceCheckpoint.load(dir, options).textEncoder();
  }

  /**
   * The PII detector (model merged with the recognizers); {@code dir == null}: recognizers only.
   */
  public static PiiDetector openPii(Path dir, LoadOptions options) {
    if (dir == null) {
      return PiiDetector.patternsOnly();
    }
    return new PiiDetector(openToken(dir, options), PatternPiiDetector.defaults());
  }

  /** The built-in all-MiniLM-L6-v2 encoder; its ONNX file is parsed once per JVM. */
  public static TextEncoder builtinEncoder(LoadOptions options) {
    return BuiltinEncoder.load(options, null, List.of());
  }

  /**
   * The built-in encoder with some of its tensors replaced, e.g. fine-tuned top layers: each name
   * is a checkpoint name of the base encoder and must have the base tensor's shape.
   */
  public static TextEncoder builtinEncoder(
      LoadOptions options, TensorSource overrides, Collection<String> names) {
    return BuiltinEncoder.load(options, overrides, names);
  }

  /**
   * The built-in encoder over the process's one serving copy of its weights (per device), with its
   * own tokenizer and truncation from {@code options}. Read-only: closing it frees the tokenizer
   * only. Heads opened from head-only folders use the same weights, so one shared pass ({@code
   * batch.SharedEncoderPass}) serves them all. Training needs {@link #builtinEncoder}, a private
   * copy.
   */
  public static TextEncoder sharedBuiltinEncoder(LoadOptions options) {
    return BuiltinEncoder.loadShared(options, null, List.of());
  }

  /**
   * One of the built-in encoders ({@link BaseEncoder}), a private copy (training, reference tests);
   * its ONNX file is parsed once per JVM, on first use.
   */
  public static TextEncoder builtinEncoder(BaseEncoder base, LoadOptions options) {
    return BuiltinEncoder.load(base, options, null, List.of());
  }

  /**
   * Sentence embeddings from one of the built-in encoders, pooled as the model publishes them
   * ({@link BaseEncoder#pooling()}) and L2-normalised.
   */
  public static TextEmbedder builtinEmbedder(BaseEncoder base, LoadOptions options) {
    return new TextEmbedder(builtinEncoder(base, options), true, base.pooling());
  }

  /** Sentence embeddings over {@link #sharedBuiltinEncoder} (serving). */
  public static TextEmbedder sharedBuiltinEmbedder(LoadOptions options) {
    return new TextEmbedder(sharedBuiltinEncoder(options), true);
  }

  /** Mean-pooled, L2-normalised sentence embeddings from the built-in encoder. */
  public static TextEmbedder builtinEmbedder(LoadOptions options) {
    return new TextEmbedder(builtinEncoder(options), true);
  }

  private static boolean isHeadOnly(Path dir) {
    requireFolder(dir);
    Path cfg = dir.resolve("config.json");
    return Files.isRegularFile(cfg)
        && HeadOnlyCheckpoint.isHeadOnly(CheckpointConfig.read(cfg).architecture());
  }

  private static void requireFolder(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new CheckpointFormatException(
          "model directory " + dir + " does not exist or is not a directory");
    }
  }
}
