package io.semroute.classifier.onnx;

import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.weights.TensorSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of an exported transformer ONNX graph, under their PyTorch names.
 *
 * <p>Named initializers (embeddings, LayerNorms, biases) keep their names. The exporter leaves
 * Linear weights as anonymous {@code onnx::MatMul_NNN} initializers feeding MatMul nodes whose node
 * names carry the module path, e.g. {@code /encoder/layer.0/attention/self/query/MatMul}; those are
 * exposed as {@code encoder.layer.0.attention.self.query.weight}. ONNX stores them as [in, out]
 * (x @ W), so they are transposed to torch's Linear layout [out, in] on read.
 */
public final class OnnxInitializers implements TensorSource {

  private record Raw(
      long[] dims, int dataType, byte[] buf, int offset, int length, boolean packedFloats) {}

  private record Entry(Raw raw, boolean transpose) {}

  private static final int FLOAT = 1;

  private final String source;
  private final Map<String, Entry> entries;

  private OnnxInitializers(String source, Map<String, Entry> entries) {
    this.source = source;
    this.entries = entries;
  }

  /** Decodes ModelProto.graph: initializers (field 5) and MatMul nodes (field 1). */
  public static OnnxInitializers parse(byte[] model, String source) {
    try {
      ProtoReader m = new ProtoReader(model, 0, model.length);
      ProtoReader graph = null;
      while (m.next()) {
        if (m.field() == 7 && m.wireType() == ProtoReader.LEN) {
          graph = m.message();
        } else {
          m.skip();
        }
      }
      if (graph == null) {
        throw new CheckpointFormatException(source + ": ONNX model has no graph");
      }
      Map<String, Raw> initializers = new LinkedHashMap<>();
      Map<String, String> matmulWeightToModule = new HashMap<>();
      while (graph.next()) {
        if (graph.field() == 5 && graph.wireType() == ProtoReader.LEN) {
          readTensor(graph.message(), initializers, source);
        } else if (graph.field() == 1 && graph.wireType() == ProtoReader.LEN) {
          readNode(graph.message(), matmulWeightToModule);
        } else {
          graph.skip();
        }
      }
      Map<String, Entry> entries = new LinkedHashMap<>();
      for (Map.Entry<String, Raw> e : initializers.entrySet()) {
        String module = matmulWeightToModule.get(e.getKey());
        if (module != null && e.getValue().dims.length == 2) {
          entries.put(module + ".weight", new Entry(e.getValue(), true));
        } else {
          entries.put(e.getKey(), new Entry(e.getValue(), false));
        }
      }
      return new OnnxInitializers(source, Collections.unmodifiableMap(entries));
    } catch (IllegalStateException e) {
      throw new CheckpointFormatException(
          source + ": malformed ONNX protobuf: " + e.getMessage(), e);
    }
  }

  private static void readTensor(ProtoReader t, Map<String, Raw> out, String source) {
    List<Long> dims = new ArrayList<>();
    int dataType = 0;
    String name = null;
    int off = -1;
    int len = 0;
    boolean packedFloats = false;
    while (t.next()) {
      switch (t.field()) {
        case 1 -> {
          if (t.wireType() == ProtoReader.LEN) {
            ProtoReader packed = t.message();
            while (packed.hasMore()) {
              dims.add(packed.varint());
            }
          } else {
            dims.add(t.varint());
          }
        }
        case 2 -> dataType = (int) t.varint();
        case 8 -> name = t.string();
        case 9 -> {
          int[] r = t.lengthDelimited();
          off = r[0];
          len = r[1];
        }
        case 4 -> {
          if (t.wireType() != ProtoReader.LEN) {
            throw new CheckpointFormatException(source + ": unpacked float_data is not supported");
          }
          int[] r = t.lengthDelimited();
          off = r[0];
          len = r[1];
          packedFloats = true;
        }
        case 14 -> {
          if (t.varint() != 0) {
            throw new CheckpointFormatException(
                source + ": initializers with external data are not supported");
          }
        }
        default -> t.skip();
      }
    }
    if (name != null && off >= 0) {
      long[] d = dims.stream().mapToLong(Long::longValue).toArray();
      out.put(name, new Raw(d, dataType, t.buffer(), off, len, packedFloats));
    }
  }

  private static void readNode(ProtoReader n, Map<String, String> matmulWeightToModule) {
    List<String> inputs = new ArrayList<>();
    String name = null;
    String op = null;
    while (n.next()) {
      switch (n.field()) {
        case 1 -> inputs.add(n.string());
        case 3 -> name = n.string();
        case 4 -> op = n.string();
        default -> n.skip();
      }
    }
    if ("MatMul".equals(op) && name != null && name.endsWith("/MatMul") && inputs.size() == 2) {
      // "/encoder/layer.0/attention/self/query/MatMul" -> "encoder.layer.0.attention.self.query"
      String path = name.substring(0, name.length() - "/MatMul".length());
      String module = path.replaceFirst("^/", "").replace('/', '.');
      matmulWeightToModule.put(inputs.get(1), module);
    }
  }

  @Override
  public Set<String> names() {
    return entries.keySet();
  }

  @Override
  public long[] shape(String name) {
    Entry e = entry(name);
    long[] d = e.raw.dims.clone();
    if (e.transpose) {
      return new long[] {d[1], d[0]};
    }
    return d;
  }

  @Override
  public ByteBuffer readFloat32(String name) {
    Entry e = entry(name);
    Raw r = e.raw;
    if (r.dataType != FLOAT) {
      throw new CheckpointFormatException(
          source
              + ": initializer '"
              + name
              + "' has ONNX data type "
              + r.dataType
              + ", expected FLOAT");
    }
    long count = 1;
    for (long d : r.dims) {
      count *= d;
    }
    if (count * 4 != r.length) {
      throw new CheckpointFormatException(
          source
              + ": initializer '"
              + name
              + "' holds "
              + r.length
              + " bytes for "
              + count
              + " floats");
    }
    ByteBuffer src =
        ByteBuffer.wrap(r.buf, r.offset, r.length).slice().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out = ByteBuffer.allocateDirect((int) count * 4).order(ByteOrder.nativeOrder());
    if (!e.transpose) {
      for (int i = 0; i < count; i++) {
        out.putFloat(src.getFloat(i * 4));
      }
    } else {
      int rows = (int) r.dims[0];
      int cols = (int) r.dims[1];
      for (int c = 0; c < cols; c++) {
        for (int row = 0; row < rows; row++) {
          out.putFloat(src.getFloat((row * cols + c) * 4));
        }
      }
    }
    out.flip();
    return out;
  }

  private Entry entry(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw new CheckpointFormatException(source + ": no initializer for '" + name + "'");
    }
    return e;
  }

  @Override
  public String describe() {
    return source;
  }
}
