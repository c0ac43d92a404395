package io.semroute.classifier.registry;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.TokenClassifier;
import io.semroute.classifier.TorchRuntime;
import io.semroute.classifier.checkpoint.CheckpointConfig;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.checkpoint.LabelSet;
import io.semroute.classifier.encoder.Encoder;
import io.semroute.classifier.encoder.bert.BertEncoder;
import io.semroute.classifier.encoder.modernbert.ModernBertEncoder;
import io.semroute.classifier.head.Heads;
import io.semroute.classifier.head.Pooling;
import io.semroute.classifier.head.SequenceHead;
import io.semroute.classifier.head.TokenHead;
import io.semroute.classifier.head.Transform;
import io.semroute.classifier.registry.ClassifierRegistry.Kind;
import io.semroute.classifier.text.TextTokenizer;
import io.semroute.classifier.text.TruncationPolicy;
import io.semroute.classifier.weights.Parameters;
import io.semroute.classifier.weights.SafetensorsFile;
import io.semroute.classifier.weights.ShardedSafetensors;
import io.semroute.classifier.weights.TensorSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A Hugging Face checkpoint folder as {@code save_pretrained} writes it: {@code config.json},
 * {@code model.safetensors} (or shards with {@code model.safetensors.index.json}), {@code
 * tokenizer.json}, and optionally the reference router's label files. Supported architectures:
 * {@code ModernBertModel}, {@code ModernBertForSequenceClassification}, {@code
 * ModernBertForTokenClassification}, {@code BertModel}, {@code BertForSequenceClassification},
 * {@code BertForTokenClassification}.
 *
 * <p>Loading gives one of {@link #sequenceClassifier()}, {@link #tokenClassifier()} or {@link
 * #textEncoder()}, which then owns the native memory. Opened through {@link ClassifierRegistry}.
 */
final class HuggingFaceCheckpoint {

  private final CheckpointConfig config;
  private final Kind kind;
  private final TextEncoder encoder;
  private final SequenceHead sequenceHead;
  private final TokenHead tokenHead;
  private final LabelSet labels;

  private HuggingFaceCheckpoint(
      CheckpointConfig config,
      Kind kind,
      TextEncoder encoder,
      SequenceHead sequenceHead,
      TokenHead tokenHead,
      LabelSet labels) {
    this.config = config;
    this.kind = kind;
    this.encoder = encoder;
    this.sequenceHead = sequenceHead;
    this.tokenHead = tokenHead;
    this.labels = labels;
  }

  static HuggingFaceCheckpoint load(Path dir, LoadOptions options) {
    CheckpointConfig cfg = CheckpointConfig.read(dir.resolve("config.json"));
    String arch = cfg.architecture();
    Kind kind = kindOf(arch, cfg);
    boolean modern = arch.startsWith("ModernBert");
    LabelSet labels =
        kind == Kind.ENCODER_ONLY ? new LabelSet(List.of(), "none") : labels(dir, cfg);

    TorchRuntime.engine();
    Device device = options.device().resolve();
    TensorSource source = openWeights(dir);
    NDManager manager = NDManager.newBaseManager(device, "PyTorch");
    Parameters params = new Parameters(manager, source);
    TextTokenizer tokenizer = null;
    try {
      Encoder encoder;
      SequenceHead seq = null;
      TokenHead tok = null;
      if (modern) {
        String prefix = ModernBertEncoder.detectPrefix(params);
        encoder = new ModernBertEncoder(cfg, params, prefix);
        if (kind != Kind.ENCODER_ONLY) {
          checkClassifierRows(params, labels);
          Transform t = Heads.modernBertPrediction(cfg, params);
          if (kind == Kind.SEQUENCE_CLASSIFICATION) {
            seq =
                Heads.sequence(
                    cfg,
                    params,
                    Pooling.fromConfig(cfg.string("classifier_pooling", "cls"), cfg.source()),
                    t,
                    labels.size());
          } else {
            tok = Heads.token(cfg, params, t, labels.size());
          }
        }
      } else {
        String prefix = BertEncoder.detectPrefix(params);
        encoder = new BertEncoder(cfg, params, prefix);
        if (kind != Kind.ENCODER_ONLY) {
          checkClassifierRows(params, labels);
          if (kind == Kind.SEQUENCE_CLASSIFICATION) {
            seq =
                Heads.sequence(
                    cfg, params, Pooling.CLS, Heads.bertPooler(cfg, params, prefix), labels.size());
          } else {
            tok = Heads.token(cfg, params, Transform.IDENTITY, labels.size());
          }
        }
      }
      int maxTokens = options.effectiveMaxTokens(encoder.maxPositions());
      tokenizer =
          TextTokenizer.fromFile(
              dir.resolve("tokenizer.json"),
              new TruncationPolicy(maxTokens, options.headFraction()));
      return new HuggingFaceCheckpoint(
          cfg, kind, new TextEncoder(encoder, tokenizer, device), seq, tok, labels);
    } catch (RuntimeException e) {
      if (tokenizer != null) {
        tokenizer.close();
      }
      params.close();
      throw e;
    }
  }

  static Kind kindOf(String arch, CheckpointConfig cfg) {
    return switch (arch) {
      case "ModernBertForSequenceClassification", "BertForSequenceClassification" ->
          Kind.SEQUENCE_CLASSIFICATION;
      case "ModernBertForTokenClassification", "BertForTokenClassification" ->
          Kind.TOKEN_CLASSIFICATION;
      case "ModernBertModel", "BertModel", "ModernBertForMaskedLM", "BertForMaskedLM" ->
          Kind.ENCODER_ONLY;
      default ->
          throw new CheckpointFormatException(
              cfg.source()
                  + ": architecture '"
                  + arch
                  + "' is not supported; expected one of "
                  + "ModernBertForSequenceClassification, ModernBertForTokenClassification, ModernBertModel, "
                  + "BertForSequenceClassification, BertForTokenClassification, BertModel");
    };
  }

  /**
   * Reference-router mapping file if present, else config.json id2label; they must agree in size
   * with the classifier.
   */
  private static LabelSet labels(Path dir, CheckpointConfig cfg) {
    Optional<LabelSet> mapped = LabelSet.fromReferenceMappingFiles(dir);
    List<String> id2label = cfg.id2label();
    if (mapped.isPresent()) {
      return mapped.get();
    }
    if (id2label.isEmpty()) {
      throw new CheckpointFormatException(
          cfg.source()
              + ": no 'id2label' and no category_mapping.json / pii_type_mapping.json / "
              + "jailbreak_type_mapping.json beside it: cannot name the classifier's outputs");
    }
    return new LabelSet(id2label, cfg.source() + " id2label");
  }

  private static void checkClassifierRows(Parameters params, LabelSet labels) {
    if (!params.has("classifier.weight")) {
      throw new CheckpointFormatException(
          params.source().describe() + ": missing tensor 'classifier.weight'");
    }
    long rows = params.source().shape("classifier.weight")[0];
    if (rows != labels.size()) {
      throw new CheckpointFormatException(
          labels.source()
              + " names "
              + labels.size()
              + " labels but "
              + params.source().describe()
              + " 'classifier.weight' has "
              + rows
              + " outputs");
    }
  }

  private static TensorSource openWeights(Path dir) {
    Path single = dir.resolve("model.safetensors");
    if (Files.isRegularFile(single)) {
      return SafetensorsFile.open(single);
    }
    Path index = dir.resolve("model.safetensors.index.json");
    if (Files.isRegularFile(index)) {
      return ShardedSafetensors.open(index);
    }
    String hint =
        Files.exists(dir.resolve("pytorch_model.bin"))
            ? " (pytorch_model.bin is not read: convert it to safetensors)"
            : "";
    throw new CheckpointFormatException(
        "missing " + single + " (or model.safetensors.index.json) in " + dir + hint);
  }

  /** The classifier; it owns the loaded weights from now on. */
  SequenceClassifier sequenceClassifier() {
    if (kind != Kind.SEQUENCE_CLASSIFICATION) {
      encoder.close();
      throw new CheckpointFormatException(
          config.source()
              + ": architecture '"
              + config.architecture()
              + "' is not a sequence classifier");
    }
    return new SequenceClassifier(encoder, sequenceHead, labels, true);
  }

  TokenClassifier tokenClassifier() {
    if (kind != Kind.TOKEN_CLASSIFICATION) {
      encoder.close();
      throw new CheckpointFormatException(
          config.source()
              + ": architecture '"
              + config.architecture()
              + "' is not a token classifier");
    }
    return new TokenClassifier(encoder, tokenHead, labels, true);
  }

  /** The encoder alone, for callers that add their own heads. */
  TextEncoder textEncoder() {
    return encoder;
  }
}
