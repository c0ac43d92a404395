package io.semroute.classifier.registry;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.TorchRuntime;
import io.semroute.classifier.checkpoint.CheckpointConfig;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.encoder.bert.BertEncoder;
import io.semroute.classifier.onnx.OnnxInitializers;
import io.semroute.classifier.text.TextTokenizer;
import io.semroute.classifier.text.TruncationPolicy;
import io.semroute.classifier.weights.Parameters;
import io.semroute.classifier.weights.TensorSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in encoders ({@link BaseEncoder}: all-MiniLM-L6-v2, bge-small-en-v1.5), as shipped in
 * the langchain4j embeddings jars: the ONNX graph's initializers are read into {@link BertEncoder}
 * (no ONNX runtime involved), the jar's tokenizer.json feeds it, and the model's published {@code
 * config.json} sits beside this class. Works offline out of the box.
 *
 * <p>Each ONNX file is parsed once per JVM, on first use ({@link #initializers}): every encoder
 * built from it (serving, tests, training) copies the host-side tensors into its own native memory.
 */
final class BuiltinEncoder {
  static final String ONNX_RESOURCE = BaseEncoder.MINILM_L6.onnxResource();
  static final String TOKENIZER_RESOURCE = BaseEncoder.MINILM_L6.tokenizerResource();

  private static final Map<BaseEncoder, OnnxInitializers> PARSED = new ConcurrentHashMap<>();
  private static final Map<BaseEncoder, CheckpointConfig> CONFIGS = new ConcurrentHashMap<>();

  private record SharedKey(BaseEncoder base, Device device) {}

  /**
   * The serving copy of the encoder, one per device for the whole process: every head opened over
   * the built-in encoder reads these weights (90 MB once, not once per head), and a shared pass
   * ({@code batch.SharedEncoderPass}) runs them once for all heads. Never closed: read-only, and
   * lives as long as the process. Training takes its own copy ({@link #load}).
   */
  private static final Map<SharedKey, BertEncoder> SHARED = new ConcurrentHashMap<>();

  private BuiltinEncoder() {}

  /**
   * A {@link TextEncoder} over the process's shared built-in weights, with its own tokenizer (and
   * truncation) from {@code options}; with {@code names}, a variant whose listed tensors (whole
   * layers) come from {@code overrides} and whose other layers are shared. Closing it frees only
   * what it owns.
   */
  static TextEncoder loadShared(
      LoadOptions options, TensorSource overrides, Collection<String> names) {
    return loadShared(BaseEncoder.MINILM_L6, options, overrides, names);
  }

  static TextEncoder loadShared(
      BaseEncoder which, LoadOptions options, TensorSource overrides, Collection<String> names) {
    TorchRuntime.engine();
    Device device = options.device().resolve();
    BertEncoder base =
        SHARED.computeIfAbsent(
            new SharedKey(which, device),
            k -> {
              Parameters params =
                  new Parameters(
                      NDManager.newBaseManager(k.device(), "PyTorch"), initializers(which));
              return new BertEncoder(config(which), params, BertEncoder.detectPrefix(params));
            });
    BertEncoder encoder = base;
    boolean owns = false;
    if (!names.isEmpty()) {
      SortedSet<Integer> layers = new TreeSet<>();
      for (String name : names) {
        Matcher m = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.").matcher(name);
        if (!m.find()) {
          throw new CheckpointFormatException(
              overrides.describe() + ": '" + name + "' is not a tensor of an encoder layer");
        }
        layers.add(Integer.parseInt(m.group(1)));
      }
      // Source: the (shared, read-only) initializers, so closing these params leaves the caller's
      // file alone.
      Parameters own =
          new Parameters(NDManager.newBaseManager(device, "PyTorch"), initializers(which));
      try {
        checkOverrides(which, overrides, names);
        for (String name : names) {
          own.put(
              name,
              own.manager()
                  .create(
                      overrides.readFloat32(name),
                      new Shape(overrides.shape(name)),
                      DataType.FLOAT32));
        }
        encoder = base.withOwnLayers(own, layers);
      } catch (RuntimeException e) {
        own.close();
        throw e;
      }
      owns = true;
    }
    return new TextEncoder(encoder, tokenizer(which, options, encoder), device, owns);
  }

  private static void checkOverrides(
      BaseEncoder which, TensorSource overrides, Collection<String> names) {
    OnnxInitializers source = initializers(which);
    for (String name : names) {
      if (!source.has(name)) {
        throw new CheckpointFormatException(
            overrides.describe() + ": '" + name + "' is not a tensor of the built-in encoder");
      }
      if (!overrides.has(name)) {
        throw new CheckpointFormatException(
            overrides.describe() + ": missing tensor '" + name + "'");
      }
      long[] want = source.shape(name);
      long[] got = overrides.shape(name);
      if (!Arrays.equals(want, got)) {
        throw new CheckpointFormatException(
            overrides.describe()
                + ": tensor '"
                + name
                + "' has shape "
                + Arrays.toString(got)
                + ", the built-in encoder's has "
                + Arrays.toString(want));
      }
    }
  }

  private static TextTokenizer tokenizer(
      BaseEncoder which, LoadOptions options, BertEncoder encoder) {
    int maxTokens = options.effectiveMaxTokens(encoder.maxPositions());
    String resource = which.tokenizerResource();
    InputStream tok = BuiltinEncoder.class.getClassLoader().getResourceAsStream(resource);
    if (tok == null) {
      throw new CheckpointFormatException(
          "classpath resource " + resource + " is missing (" + which.jar() + " jar)");
    }
    return TextTokenizer.fromStream(
        tok, "classpath:" + resource, new TruncationPolicy(maxTokens, options.headFraction()));
  }

  /** The published config.json of all-MiniLM-L6-v2. */
  static CheckpointConfig config() {
    return config(BaseEncoder.MINILM_L6);
  }

  /** The model's published config.json (sizes are checked against the tensors). */
  static CheckpointConfig config(BaseEncoder which) {
    return CONFIGS.computeIfAbsent(
        which,
        b -> {
          String resource = b.configResource();
          try (InputStream in = BuiltinEncoder.class.getResourceAsStream(resource)) {
            if (in == null) {
              throw new CheckpointFormatException("classpath resource " + resource + " is missing");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            return CheckpointConfig.of("classpath:" + resource, root);
          } catch (IOException e) {
            throw new CheckpointFormatException(
                "cannot read classpath resource " + resource + ": " + e.getMessage(), e);
          }
        });
  }

  /** all-MiniLM-L6-v2's initializers. */
  static OnnxInitializers initializers() {
    return initializers(BaseEncoder.MINILM_L6);
  }

  /**
   * The ONNX file's initializers, parsed on first use and shared by the whole process (read-only).
   */
  static OnnxInitializers initializers(BaseEncoder which) {
    // computeIfAbsent holds the entry's lock while parsing, so two first callers parse once.
    return PARSED.computeIfAbsent(
        which,
        b ->
            OnnxInitializers.parse(
                readResource(b.onnxResource(), b.jar()), "classpath:" + b.onnxResource()));
  }

  /**
   * The built-in encoder, optionally with some of its tensors replaced, e.g. fine-tuned top layers.
   * Each name is a checkpoint name of the base encoder (such as {@code
   * encoder.layer.5.attention.self.query.weight}) and must have the base tensor's shape; the rest
   * comes from the classpath as usual.
   */
  static TextEncoder load(LoadOptions options, TensorSource overrides, Collection<String> names) {
    return load(BaseEncoder.MINILM_L6, options, overrides, names);
  }

  static TextEncoder load(
      BaseEncoder which, LoadOptions options, TensorSource overrides, Collection<String> names) {
    TorchRuntime.engine();
    OnnxInitializers source = initializers(which);
    Device device = options.device().resolve();
    Parameters params = new Parameters(NDManager.newBaseManager(device, "PyTorch"), source);
    try {
      checkOverrides(which, overrides, names);
      for (String name : names) {
        // Registered before the encoder is built, so its require() picks these up instead.
        params.put(
            name,
            params
                .manager()
                .create(
                    overrides.readFloat32(name),
                    new Shape(overrides.shape(name)),
                    DataType.FLOAT32));
      }
      BertEncoder encoder =
          new BertEncoder(config(which), params, BertEncoder.detectPrefix(params));
      return new TextEncoder(encoder, tokenizer(which, options, encoder), device);
    } catch (RuntimeException e) {
      params.close();
      throw e;
    }
  }

  private static byte[] readResource(String name, String jar) {
    try (InputStream in = BuiltinEncoder.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new CheckpointFormatException(
            "classpath resource " + name + " is missing (" + jar + " jar)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new CheckpointFormatException(
          "cannot read classpath resource " + name + ": " + e.getMessage(), e);
    }
  }
}
