package io.semroute.tools.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.classifier.weights.Float16;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes float32 (or, per tensor, float16) tensors in the safetensors format: an 8-byte
 * little-endian header length, a JSON header naming each tensor's dtype, shape and byte range, then
 * the raw little-endian data.
 */
public final class SafetensorsWriter {
  private record Tensor(String dtype, long[] shape, byte[] data) {}

  private final Map<String, Tensor> tensors = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  /** A float32 tensor (row-major values). */
  public SafetensorsWriter put(String name, float[] values, long... shape) {
    ByteBuffer b = buffer(name, values.length, 4, shape);
    b.asFloatBuffer().put(values);
    return add(name, "F32", shape, b);
  }

  /** As {@link #put}, stored as float16 (half the bytes; values rounded to nearest even). */
  public SafetensorsWriter putFloat16(String name, float[] values, long... shape) {
    ByteBuffer b = buffer(name, values.length, 2, shape);
    for (float v : values) {
      b.putShort(Float16.floatToHalf(v));
    }
    return add(name, "F16", shape, b);
  }

  /** Raw half-precision bit patterns, stored as float16. */
  public SafetensorsWriter putFloat16Bits(String name, short[] bits, long... shape) {
    ByteBuffer b = buffer(name, bits.length, 2, shape);
    for (short v : bits) {
      b.putShort(v);
    }
    return add(name, "F16", shape, b);
  }

  /** bfloat16: the top 16 bits of each float (truncation, exact for values that fit). */
  public SafetensorsWriter putBfloat16(String name, float[] values, long... shape) {
    ByteBuffer b = buffer(name, values.length, 2, shape);
    for (float v : values) {
      b.putShort((short) (Float.floatToIntBits(v) >>> 16));
    }
    return add(name, "BF16", shape, b);
  }

  public SafetensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  private static ByteBuffer buffer(String name, int count, int width, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != count) {
      throw new IllegalArgumentException(
          name + ": " + count + " values for shape " + Arrays.toString(shape));
    }
    return ByteBuffer.allocate(width * count).order(ByteOrder.LITTLE_ENDIAN);
  }

  private SafetensorsWriter add(String name, String dtype, long[] shape, ByteBuffer data) {
    tensors.put(name, new Tensor(dtype, shape.clone(), data.array()));
    return this;
  }

  public void write(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode header = mapper.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", e.getValue().dtype());
      var shape = t.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      long bytes = e.getValue().data().length;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = mapper.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    // Pad the header with spaces to a multiple of 8 so the data is aligned.
    int padded = (json.length + 7) / 8 * 8;
    byte[] headerBytes = new byte[padded];
    Arrays.fill(headerBytes, (byte) ' ');
    System.arraycopy(json, 0, headerBytes, 0, json.length);
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
      out.write(headerBytes);
      for (Tensor t : tensors.values()) {
        out.write(t.data());
      }
    }
  }
}
