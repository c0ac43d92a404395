package io.semroute.classifier.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes float32 (or, per tensor, float16) tensors in the safetensors format: an 8-byte little-endian header length, a
 * JSON header naming each tensor's dtype, shape and byte range, then the raw little-endian data.
 */
public final class SafetensorsWriter {
  private final Map<String, long[]> shapes = new LinkedHashMap<>();
  private final Map<String, float[]> data = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private final java.util.Set<String> half = new java.util.HashSet<>();

  public SafetensorsWriter put(String name, float[] values, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + java.util.Arrays.toString(shape));
    }
    shapes.put(name, shape.clone());
    data.put(name, values.clone());
    return this;
  }

  /** As {@link #put}, stored as float16 (half the bytes; values rounded to nearest even). */
  public SafetensorsWriter putFloat16(String name, float[] values, long... shape) {
    put(name, values, shape);
    half.add(name);
    return this;
  }

  public SafetensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
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
    for (Map.Entry<String, float[]> e : data.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      boolean f16 = half.contains(e.getKey());
      t.put("dtype", f16 ? "F16" : "F32");
      var shape = t.putArray("shape");
      for (long d : shapes.get(e.getKey())) {
        shape.add(d);
      }
      long bytes = (f16 ? 2L : 4L) * e.getValue().length;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = mapper.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    // Pad the header with spaces to a multiple of 8 so the data is aligned.
    int padded = (json.length + 7) / 8 * 8;
    byte[] headerBytes = new byte[padded];
    java.util.Arrays.fill(headerBytes, (byte) ' ');
    System.arraycopy(json, 0, headerBytes, 0, json.length);
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
      out.write(len.array());
      out.write(headerBytes);
      for (Map.Entry<String, float[]> e : data.entrySet()) {
        float[] values = e.getValue();
        if (half.contains(e.getKey())) {
          ByteBuffer buf = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
          for (float v : values) {
            buf.putShort(io.semroute.classifier.weights.Float16.floatToHalf(v));
          }
          out.write(buf.array());
        } else {
          ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
          buf.asFloatBuffer().put(values);
          out.write(buf.array());
        }
      }
    }
  }
}
