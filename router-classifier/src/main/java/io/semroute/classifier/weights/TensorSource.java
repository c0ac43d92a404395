package io.semroute.classifier.weights;

import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Named tensors in a checkpoint (safetensors file or shards, ONNX initializers). Reading yields
 * float32 data in native byte order, whatever the stored type, because the engine computes in
 * float32 on CPU.
 */
public interface TensorSource extends AutoCloseable {

  Set<String> names();

  default boolean has(String name) {
    return names().contains(name);
  }

  long[] shape(String name);

  /** A fresh direct buffer of float32 values in native order, row-major. */
  ByteBuffer readFloat32(String name);

  /** What to name in error messages, e.g. the file path. */
  String describe();

  @Override
  default void close() {}
}
