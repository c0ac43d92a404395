package io.semroute.classifier.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The weights a model's forward pass uses, as NDArrays in one long-lived manager, by name.
 *
 * <p>This is the structure training works on: the forward code holds these very NDArrays, so {@code
 * parameters.get("classifier.weight").setRequiresGradient(true)} inside a DJL {@code
 * GradientCollector} makes gradients flow into them. Names are the checkpoint's names, except
 * derived tensors the encoder builds once for speed (documented where they are made, e.g. BERT's
 * fused {@code ...attention.self.qkv.weight}).
 */
public final class Parameters implements AutoCloseable {
  private final NDManager manager;
  private final TensorSource source;
  private final Map<String, NDArray> byName = new LinkedHashMap<>();

  public Parameters(NDManager manager, TensorSource source) {
    this.manager = manager;
    this.source = source;
  }

  public NDManager manager() {
    return manager;
  }

  public TensorSource source() {
    return source;
  }

  public boolean has(String name) {
    return source.has(name) || byName.containsKey(name);
  }

  /** Loads (once) a tensor that must exist with exactly this shape. */
  public NDArray require(String name, long... expectedShape) {
    NDArray a = byName.get(name);
    if (a != null) {
      return a;
    }
    if (!source.has(name)) {
      throw new CheckpointFormatException(
          source.describe()
              + ": missing tensor '"
              + name
              + "'"
              + (expectedShape.length > 0 ? " of shape " + Arrays.toString(expectedShape) : ""));
    }
    long[] shape = source.shape(name);
    if (expectedShape.length > 0 && !Arrays.equals(shape, expectedShape)) {
      throw new CheckpointFormatException(
          source.describe()
              + ": tensor '"
              + name
              + "' has shape "
              + Arrays.toString(shape)
              + " but config.json implies "
              + Arrays.toString(expectedShape));
    }
    a = manager.create(source.readFloat32(name), new Shape(shape), DataType.FLOAT32);
    a.setName(name);
    byName.put(name, a);
    return a;
  }

  /** Loads a tensor that some checkpoints have and others do not (e.g. biases). */
  public Optional<NDArray> optional(String name, long... expectedShape) {
    return source.has(name) || byName.containsKey(name)
        ? Optional.of(require(name, expectedShape))
        : Optional.empty();
  }

  /** Registers a tensor derived at load time; it replaces its parts in the forward pass. */
  public NDArray put(String name, NDArray derived) {
    derived.setName(name);
    byName.put(name, derived);
    return derived;
  }

  /** Drops a loaded tensor that was only needed to build a derived one. */
  public void forget(String name) {
    NDArray a = byName.remove(name);
    if (a != null) {
      a.close();
    }
  }

  public NDArray get(String name) {
    NDArray a = byName.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no parameter '" + name + "'; known: " + byName.keySet());
    }
    return a;
  }

  /** Every tensor the forward pass uses, in load order. */
  public Map<String, NDArray> asMap() {
    return Collections.unmodifiableMap(byName);
  }

  @Override
  public void close() {
    source.close();
    manager.close();
  }
}
