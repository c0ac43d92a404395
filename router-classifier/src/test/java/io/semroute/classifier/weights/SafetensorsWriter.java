package io.semroute.classifier.weights;

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

/** Test helper: writes safetensors files the way the Python library does (F32, F16 or BF16). */
public final class SafetensorsWriter {
  private record T(String dtype, long[] shape, byte[] data) {}

  private final Map<String, T> tensors = new LinkedHashMap<>();

  public SafetensorsWriter f32(String name, float[] values, long... shape) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    tensors.put(name, new T("F32", shape, b.array()));
    return this;
  }

  /** bfloat16: the top 16 bits of each float (truncation, exact for values that fit). */
  public SafetensorsWriter bf16(String name, float[] values, long... shape) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putShort((short) (Float.floatToIntBits(v) >>> 16));
    }
    tensors.put(name, new T("BF16", shape, b.array()));
    return this;
  }

  /** Raw half-precision bit patterns. */
  public SafetensorsWriter f16Bits(String name, short[] bits, long... shape) {
    ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : bits) {
      b.putShort(s);
    }
    tensors.put(name, new T("F16", shape, b.array()));
    return this;
  }

  public void write(Path file) throws IOException {
    ObjectMapper m = new ObjectMapper();
    ObjectNode header = m.createObjectNode();
    long off = 0;
    for (Map.Entry<String, T> e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", e.getValue().dtype);
      var shape = t.putArray("shape");
      for (long d : e.getValue().shape) {
        shape.add(d);
      }
      t.putArray("data_offsets").add(off).add(off + e.getValue().data.length);
      off += e.getValue().data.length;
    }
    header.putObject("__metadata__").put("format", "pt");
    byte[] h = m.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int pad = (8 - h.length % 8) % 8;
    byte[] hp = new byte[h.length + pad];
    System.arraycopy(h, 0, hp, 0, h.length);
    for (int i = h.length; i < hp.length; i++) {
      hp[i] = ' ';
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hp.length).array());
      out.write(hp);
      for (T t : tensors.values()) {
        out.write(t.data);
      }
    }
  }
}
