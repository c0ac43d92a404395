package io.semroute.classifier.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes float32 tensors in the safetensors layout Hugging Face uses (8-byte little-endian header
 * length, JSON header with dtype/shape/data_offsets, raw little-endian data), so a synthetic model
 * goes through exactly the loader a downloaded checkpoint does.
 */
final class SafetensorsWriter {

  /** One tensor's name, shape and values (row-major). */
  record Tensor(String name, long[] shape, float[] values) {}

  private SafetensorsWriter() {}

  static void write(Path file, List<Tensor> tensors) throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("__metadata__", Map.of("format", "pt"));
    long offset = 0;
    for (Tensor t : tensors) {
      long bytes = 4L * t.values().length;
      header.put(t.name(), Map.of(
          "dtype", "F32", "shape", t.shape(), "data_offsets", List.of(offset, offset + bytes)));
      offset += bytes;
    }
    byte[] json = new ObjectMapper().writeValueAsBytes(header);
    // The format pads the header with spaces to an 8-byte boundary.
    int padded = (json.length + 7) / 8 * 8;
    try (OutputStream out = Files.newOutputStream(file)) {
      ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
      out.write(length.array());
      out.write(json);
      out.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
      ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      for (Tensor t : tensors) {
        for (float v : t.values()) {
          if (!chunk.hasRemaining()) {
            out.write(chunk.array(), 0, chunk.position());
            chunk.clear();
          }
          chunk.putFloat(v);
        }
      }
      out.write(chunk.array(), 0, chunk.position());
    }
  }
}
