package io.semroute.tools.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * ONNX Runtime on the jar's MiniLM graph: the second oracle (tests) and the speed yardstick
 * (probe).
 */
final class OrtLastHidden implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  OrtLastHidden(int threads) throws OrtException, IOException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(threads);
    o.setInterOpNumThreads(1);
    session = env.createSession(OrtMiniLm.graph(), o);
  }

  /** last_hidden_state [seq][384] for one unpadded sequence. */
  float[][] lastHidden(long[] ids) {
    long[][] in = {ids};
    long[][] mask = {new long[ids.length]};
    Arrays.fill(mask[0], 1);
    long[][] types = {new long[ids.length]};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, in));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, mask));
      if (session.getInputNames().contains("token_type_ids")) {
        inputs.put("token_type_ids", OnnxTensor.createTensor(env, types));
      }
      try (OrtSession.Result r = session.run(inputs)) {
        float[][][] out = (float[][][]) r.get(0).getValue();
        return out[0];
      }
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
