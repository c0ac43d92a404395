package io.semroute.classifier.encoder;

import ai.djl.ndarray.NDArray;
import io.semroute.classifier.checkpoint.CheckpointFormatException;

/**
 * Hidden activations named by Hugging Face configs ({@code hidden_act}, {@code hidden_activation}).
 */
public enum Activation {
  /** Exact erf GELU, HF "gelu". */
  GELU,
  /** tanh approximation, HF "gelu_new" / "gelu_pytorch_tanh" / "gelu_fast". */
  GELU_TANH,
  RELU,
  SILU,
  TANH;

  public static Activation fromConfig(String name, String source) {
    return switch (name) {
      case "gelu", "gelu_python" -> GELU;
      case "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "gelu_accurate" -> GELU_TANH;
      case "relu" -> RELU;
      case "silu", "swish" -> SILU;
      case "tanh" -> TANH;
      default ->
          throw new CheckpointFormatException(source + ": unsupported activation '" + name + "'");
    };
  }

  public NDArray apply(NDArray x) {
    return switch (this) {
      case GELU -> x.getNDArrayInternal().gelu();
      case GELU_TANH -> {
        // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        NDArray inner = x.pow(3).mul(0.044715f).add(x).mul((float) Math.sqrt(2 / Math.PI)).tanh();
        yield inner.add(1f).mul(x).mul(0.5f);
      }
      case RELU -> x.getNDArrayInternal().relu();
      case SILU -> x.mul(x.getNDArrayInternal().sigmoid());
      case TANH -> x.tanh();
    };
  }
}
