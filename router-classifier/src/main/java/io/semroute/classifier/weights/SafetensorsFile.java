package io.semroute.classifier.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads one {@code .safetensors} file: 8-byte little-endian header length, a JSON header mapping
 * tensor names to dtype/shape/data_offsets, then the raw little-endian tensor bytes. Tensors are
 * mapped and converted only when asked for, so unused tensors (e.g. an MLM head) cost nothing.
 */
public final class SafetensorsFile implements TensorSource {

  private record Entry(String dtype, long[] shape, long begin, long end) {}

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, Entry> entries;

  private SafetensorsFile(
      Path file, FileChannel channel, long dataStart, Map<String, Entry> entries) {
    this.file = file;
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = entries;
  }

  public static SafetensorsFile open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointFormatException("missing " + file);
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
      long size = ch.size();
      if (size < 8) {
        throw new CheckpointFormatException(file + ": too short to be a safetensors file");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLen = lenBuf.getLong(0);
      if (headerLen <= 0 || headerLen > 100_000_000L || 8 + headerLen > size) {
        throw new CheckpointFormatException(file + ": bad safetensors header length " + headerLen);
      }
      ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
      readFully(ch, hb, 8);
      JsonNode header = new ObjectMapper().readTree(hb.array());
      long dataStart = 8 + headerLen;
      long dataLen = size - dataStart;
      Map<String, Entry> entries = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = header.properties().iterator();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        JsonNode t = e.getValue();
        JsonNode shapeNode = t.get("shape");
        JsonNode off = t.get("data_offsets");
        if (t.get("dtype") == null || shapeNode == null || off == null || off.size() != 2) {
          throw new CheckpointFormatException(
              file + ": tensor '" + e.getKey() + "' lacks dtype/shape/data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shapeNode.get(i).asLong();
          count *= shape[i];
        }
        String dtype = t.get("dtype").asText();
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0
            || end < begin
            || end > dataLen
            || (end - begin) != count * bytesPer(dtype, file, e.getKey())) {
          throw new CheckpointFormatException(
              file
                  + ": tensor '"
                  + e.getKey()
                  + "' has data_offsets "
                  + begin
                  + ".."
                  + end
                  + " inconsistent with dtype "
                  + dtype
                  + " shape "
                  + Arrays.toString(shape)
                  + " or file size");
        }
        entries.put(e.getKey(), new Entry(dtype, shape, begin, end));
      }
      return new SafetensorsFile(file, ch, dataStart, Collections.unmodifiableMap(entries));
    } catch (IOException e) {
      closeQuietly(ch);
      throw new CheckpointFormatException(
          file + ": cannot read safetensors header: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  private static int bytesPer(String dtype, Path file, String name) {
    return switch (dtype) {
      case "F32", "I32" -> 4;
      case "F16", "BF16" -> 2;
      case "F64", "I64" -> 8;
      case "U8", "I8", "BOOL" -> 1;
      default ->
          throw new CheckpointFormatException(
              file + ": tensor '" + name + "' has unsupported dtype " + dtype);
    };
  }

  @Override
  public Set<String> names() {
    return entries.keySet();
  }

  @Override
  public long[] shape(String name) {
    return entry(name).shape.clone();
  }

  public String dtype(String name) {
    return entry(name).dtype;
  }

  @Override
  public ByteBuffer readFloat32(String name) {
    Entry e = entry(name);
    int count = Math.toIntExact((e.end - e.begin) / bytesPer(e.dtype, file, name));
    ByteBuffer raw;
    try {
      raw =
          channel
              .map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin, e.end - e.begin)
              .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException ex) {
      throw new CheckpointFormatException(
          file + ": cannot read tensor '" + name + "': " + ex.getMessage(), ex);
    }
    ByteBuffer out = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
    switch (e.dtype) {
      case "F32" -> {
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
          out.put(raw);
        } else {
          for (int i = 0; i < count; i++) {
            out.putFloat(raw.getFloat(i * 4));
          }
        }
      }
      case "F16" -> {
        for (int i = 0; i < count; i++) {
          out.putFloat(Float16.halfToFloat(raw.getShort(i * 2)));
        }
      }
      case "BF16" -> {
        for (int i = 0; i < count; i++) {
          out.putFloat(Float16.bf16ToFloat(raw.getShort(i * 2)));
        }
      }
      case "F64" -> {
        for (int i = 0; i < count; i++) {
          out.putFloat((float) raw.getDouble(i * 8));
        }
      }
      case "I64" -> {
        for (int i = 0; i < count; i++) {
          out.putFloat(raw.getLong(i * 8));
        }
      }
      case "I32" -> {
        for (int i = 0; i < count; i++) {
          out.putFloat(raw.getInt(i * 4));
        }
      }
      default ->
          throw new CheckpointFormatException(
              file + ": tensor '" + name + "' dtype " + e.dtype + " cannot be used as float");
    }
    out.flip();
    return out;
  }

  private Entry entry(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw new CheckpointFormatException(file + ": no tensor named '" + name + "'");
    }
    return e;
  }

  @Override
  public String describe() {
    return file.toString();
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos + buf.position());
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
    }
    buf.flip();
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing useful to do: the file was only read
      }
    }
  }
}
