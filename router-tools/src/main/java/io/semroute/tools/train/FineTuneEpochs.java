package io.semroute.tools.train;

import ai.djl.ndarray.NDArray;
import io.semroute.classifier.encoder.bert.BertEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The epoch bookkeeping both fine-tuning loops share (sequence and token): which encoder tensors
 * are trained, one printed line per epoch, the best epoch's weights by the stop-set score, and
 * early stopping after {@code patience} epochs without improvement. Epoch 0 is the original
 * weights, so a run that never improves leaves the encoder as it was.
 */
final class FineTuneEpochs {
  private final Map<String, NDArray> layers = new LinkedHashMap<>();
  private final int patience;
  private final String metric;
  private final List<String> history = new ArrayList<>();
  private final List<Double> losses = new ArrayList<>();
  private Map<String, float[]> best;
  private int bestEpoch;
  private double bestScore = -1;

  /**
   * @param metric the stop-set score's name in the printed lines
   */
  FineTuneEpochs(BertEncoder encoder, List<Integer> layerIndices, int patience, String metric) {
    for (int i : layerIndices) {
      for (String name : encoder.layerParameterNames(i)) {
        layers.put(name, encoder.parameters().get(name));
      }
    }
    this.patience = patience;
    this.metric = metric;
    this.best = EncoderFineTuning.snapshot(layers);
  }

  /** The trained tensors by parameter name. */
  Map<String, NDArray> layers() {
    return layers;
  }

  /** Records a finished epoch; true when the patience is used up and training should stop. */
  boolean endEpoch(int epoch, double meanLoss, double score) {
    String line =
        String.format(
            Locale.ROOT,
            "fine-tune epoch %d train-loss %.4f %s %.4f",
            epoch,
            meanLoss,
            metric,
            score);
    history.add(line);
    losses.add(meanLoss);
    System.out.println();
    System.out.println(line);
    if (score > bestScore + 1e-4) {
      bestScore = score;
      bestEpoch = epoch;
      best = EncoderFineTuning.snapshot(layers);
      return false;
    }
    return epoch - bestEpoch >= patience;
  }

  /** Puts the best epoch's weights back into the encoder and says how the run went. */
  EncoderFineTuning.Result restoreBest() {
    for (Map.Entry<String, NDArray> e : layers.entrySet()) {
      EncoderLayers.set(e.getValue(), best.get(e.getKey()));
    }
    return new EncoderFineTuning.Result(bestEpoch, bestScore, history, losses);
  }
}
