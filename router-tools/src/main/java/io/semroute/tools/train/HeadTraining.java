package io.semroute.tools.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.encoder.bert.BertEncoder;
import io.semroute.classifier.head.LexicalFeatures;
import io.semroute.classifier.head.LexicalLogits;
import io.semroute.classifier.head.Pooling;
import io.semroute.classifier.registry.BaseEncoder;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.tools.data.DataException;
import io.semroute.tools.data.JailbreakLabels;
import io.semroute.tools.data.Jsonl;
import io.semroute.tools.data.LabeledText;
import io.semroute.tools.data.SeededSplit;
import io.semroute.tools.eval.ClassificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Sequence-classification head training (category, jailbreak): features from the frozen built-in
 * encoder (cached), an MLP head trained with early stopping on dev, and for jailbreak a decision
 * threshold calibrated on dev benign texts and baked into the classifier bias so plain argmax
 * applies it at serving time.
 */
public final class HeadTraining {

  /** Everything the train command passes on. */
  public record Settings(
      String task,
      Path data,
      Path dev,
      Path out,
      long seed,
      int hidden,
      int epochs,
      int patience,
      float lr,
      float weightDecay,
      float dropout,
      int batchSize,
      int maxTokens,
      double maxDevFpr,
      Path cacheDir,
      int lexicalBuckets,
      float lexicalLr,
      float lexicalWeightDecay,
      double stopFraction,
      int ensemble,
      FineTuneSettings fineTune,
      BaseEncoder base) {

    public Settings {
      if (fineTune == null) {
        fineTune = FineTuneSettings.NONE;
      }
      if (base == null) {
        base = BaseEncoder.MINILM_L6;
      }
    }

    /** The same settings without the word n-gram layer, written to {@code dir}. */
    public Settings withoutLexical(Path dir) {
      return new Settings(
          task,
          data,
          this.dev,
          dir,
          seed,
          hidden,
          epochs,
          patience,
          lr,
          weightDecay,
          dropout,
          batchSize,
          maxTokens,
          maxDevFpr,
          cacheDir,
          0,
          lexicalLr,
          lexicalWeightDecay,
          stopFraction,
          ensemble,
          fineTune,
          base);
    }
  }

  private HeadTraining() {}

  public static void run(Settings s) throws IOException {
    run(s, null);
  }

  /**
   * @param ablationOut when set, a second model is trained on the same encoder features (the same
   *     fine-tuned layers) without the word n-gram layer and written there: the ablation of that
   *     layer alone, at the cost of the heads only
   */
  public static void run(Settings s, Path ablationOut) throws IOException {
    boolean jailbreak = s.task().equals("jailbreak");
    List<LabeledText> train = normalize(Jsonl.readLabeled(s.data()), jailbreak);
    List<LabeledText> dev;
    if (s.dev() != null) {
      dev = normalize(Jsonl.readLabeled(s.dev()), jailbreak);
    } else {
      List<List<LabeledText>> parts =
          SeededSplit.split(train, LabeledText::label, s.seed(), 0.9, 0.1);
      train = parts.get(0);
      dev = parts.get(1);
    }
    List<String> labels =
        new ArrayList<>(new TreeSet<>(train.stream().map(LabeledText::label).toList()));
    System.out.printf(
        "task %s: %d train, %d dev texts, labels %s%n", s.task(), train.size(), dev.size(), labels);

    int[] y = indices(train, labels);
    int[] devY = indices(dev, labels);

    // Early stopping on a seeded part of train when asked, so dev stays an unbiased report set.
    int[] fitRows = range(train.size());
    int[] stopRows = null;
    if (s.stopFraction() > 0) {
      List<LabeledText> all = train;
      List<List<Integer>> parts =
          SeededSplit.split(
              Arrays.stream(fitRows).boxed().toList(),
              i -> all.get(i).label(),
              s.seed(),
              1 - s.stopFraction(),
              s.stopFraction());
      fitRows = parts.get(0).stream().mapToInt(Integer::intValue).toArray();
      stopRows = parts.get(1).stream().mapToInt(Integer::intValue).toArray();
    }

    float[][] x;
    float[][] devX;
    FineTuned fineTuned = null;
    try (TextEncoder encoder =
        ClassifierRegistry.builtinEncoder(
            s.base(), LoadOptions.DEFAULT.withMaxTokens(s.maxTokens()))) {
      if (s.fineTune().enabled()) {
        fineTuned = fineTune(s, encoder, train, dev, y, devY, fitRows, stopRows, labels.size());
        x = fineTuned.trainX();
        devX = fineTuned.devX();
      } else {
        // The MiniLM key is the one earlier runs wrote, so their caches stay valid.
        String id =
            s.base() == BaseEncoder.MINILM_L6
                ? "minilm-mean-" + s.maxTokens()
                : s.base().shortName() + "-" + s.base().pooling() + "-" + s.maxTokens();
        EmbeddingCache cache = new EmbeddingCache(encoder, s.cacheDir(), id, s.base().pooling());
        x = cache.embed(train.stream().map(LabeledText::text).toList(), "train");
        devX = cache.embed(dev.stream().map(LabeledText::text).toList(), "dev");
      }
    }

    trainHeads(s, train, dev, labels, y, devY, fitRows, stopRows, x, devX, fineTuned);
    if (ablationOut != null) {
      System.out.println();
      System.out.println("ablation: the same features without the word n-gram layer");
      trainHeads(
          s.withoutLexical(ablationOut),
          train,
          dev,
          labels,
          y,
          devY,
          fitRows,
          stopRows,
          x,
          devX,
          fineTuned);
    }
  }

  private static void trainHeads(
      Settings s,
      List<LabeledText> train,
      List<LabeledText> dev,
      List<String> labels,
      int[] y,
      int[] devY,
      int[] fitRows,
      int[] stopRows,
      float[][] x,
      float[][] devX,
      FineTuned fineTuned)
      throws IOException {
    boolean jailbreak = s.task().equals("jailbreak");
    float[][] fitX = rows(x, fitRows);
    int[] fitY = rows(y, fitRows);
    float[][] stopX = stopRows == null ? devX : rows(x, stopRows);
    int[] stopY = stopRows == null ? devY : rows(y, stopRows);

    LexicalFeatures lexFeatures = null;
    List<LexicalFeatures.Vector> devLex = null;
    MlpTrainer.Lexical lex = null;
    if (s.lexicalBuckets() > 0) {
      List<String> fitTexts = new ArrayList<>();
      for (int i : fitRows) {
        fitTexts.add(train.get(i).text());
      }
      lexFeatures = LexicalFeatures.fit(fitTexts, s.lexicalBuckets());
      List<LexicalFeatures.Vector> all =
          lexFeatures.features(train.stream().map(LabeledText::text).toList());
      devLex = lexFeatures.features(dev.stream().map(LabeledText::text).toList());
      List<LexicalFeatures.Vector> fitLex = pick(all, fitRows);
      lex =
          new MlpTrainer.Lexical(
              lexFeatures,
              fitLex,
              stopRows == null ? devLex : pick(all, stopRows),
              s.lexicalLr(),
              s.lexicalWeightDecay());
    }
    MlpTrainer.Options o =
        new MlpTrainer.Options(
            s.hidden(),
            s.dropout(),
            s.lr(),
            s.weightDecay(),
            s.batchSize(),
            s.epochs(),
            s.patience(),
            s.seed(),
            true);
    MlpTrainer.Result r = MlpTrainer.train(fitX, fitY, stopX, stopY, labels.size(), o, lex);
    MlpHead head = r.head();
    LexicalLogits lexical = r.lexical();
    List<Integer> memberEpochs = new ArrayList<>(List.of(r.bestEpoch()));
    if (s.ensemble() > 1) {
      // Seed ensemble: members differ in init, batch order and dropout; averaged into one head.
      List<MlpHead> heads = new ArrayList<>(List.of(head));
      List<LexicalLogits> lexicals = new ArrayList<>();
      if (lexical != null) {
        lexicals.add(lexical);
      }
      for (int k = 1; k < s.ensemble(); k++) {
        MlpTrainer.Options ok =
            new MlpTrainer.Options(
                s.hidden(),
                s.dropout(),
                s.lr(),
                s.weightDecay(),
                s.batchSize(),
                s.epochs(),
                s.patience(),
                s.seed() + k,
                true);
        MlpTrainer.Result rk = MlpTrainer.train(fitX, fitY, stopX, stopY, labels.size(), ok, lex);
        heads.add(rk.head());
        if (rk.lexical() != null) {
          lexicals.add(rk.lexical());
        }
        memberEpochs.add(rk.bestEpoch());
      }
      head = MlpHead.average(heads);
      lexical = lexicals.isEmpty() ? null : averageLexical(lexicals);
      System.out.printf(
          Locale.ROOT,
          "ensemble of %d: stop-set macro-F1 %.4f%n",
          s.ensemble(),
          MlpTrainer.devMacroF1(head, lexical, stopX, lex == null ? null : lex.dev(), stopY));
    }

    ObjectMapper mapper = new ObjectMapper();
    ObjectNode training = mapper.createObjectNode();
    training.put("seed", s.seed());
    training.put("train_rows", train.size());
    training.put("dev_rows", dev.size());
    training.put("best_epoch", r.bestEpoch());
    if (s.ensemble() > 1) {
      training.put("ensemble_seeds", s.ensemble());
      memberEpochs.forEach(training.putArray("ensemble_best_epochs")::add);
    }
    training.put(
        "early_stopping_on", stopRows == null ? "dev" : "seeded " + s.stopFraction() + " of train");
    training.put("early_stopping_rows", stopY.length);
    training.put("best_stop_macro_f1", r.bestDevMacroF1());
    if (stopRows == null) {
      training.put("dev_macro_f1_before_calibration", r.bestDevMacroF1());
    }
    String calibration = "";
    if (jailbreak) {
      int j = labels.indexOf(JailbreakLabels.JAILBREAK);
      float shift = calibrate(head, lexical, devX, devLex, devY, j, s.maxDevFpr());
      head = head.withBiasShift(j, shift);
      training.put("jailbreak_logit_shift", shift);
      training.put("max_dev_fpr", s.maxDevFpr());
      calibration =
          String.format(
              Locale.ROOT,
              "Decision threshold calibrated on dev: jailbreak logit shifted by %.3f so that at most %.1f%% of dev benign texts are flagged.%n",
              shift,
              100 * s.maxDevFpr());
    }
    ClassificationReport report = report(head, lexical, devX, devLex, devY, labels);
    System.out.println();
    System.out.println("dev report:");
    System.out.println(report.format());
    training.put("dev_accuracy", report.accuracy());
    training.put("dev_macro_f1", report.macroF1());

    if (fineTuned != null) {
      ObjectNode ft = training.putObject("fine_tuning");
      ft.put("layers", s.fineTune().layers());
      ft.put("encoder_lr", s.fineTune().encoderLr());
      ft.put("max_epochs", s.fineTune().epochs());
      ft.put("batch_size", s.fineTune().batchSize());
      ft.put("best_epoch", fineTuned.result().bestEpoch());
      ft.put("best_stop_macro_f1", fineTuned.result().bestStopMacroF1());
    }
    HeadOnlyCheckpointWriter.write(
        s.out(),
        head,
        lexical,
        labels,
        s.maxTokens(),
        training,
        fineTuned == null ? null : fineTuned.layers(),
        s.base(),
        // Fine-tuning trains through mean pooling (EncoderFineTuning), whatever the base publishes.
        fineTuned == null ? s.base().pooling() : Pooling.MEAN);
    ModelCard.write(
        s,
        labels,
        train.size(),
        dev.size(),
        r,
        report,
        calibration,
        fineTuned == null ? null : fineTuned.result());
    System.out.println("wrote " + s.out().toAbsolutePath());
  }

  /** Sentence features from the fine-tuned encoder, and its stored layers. */
  private record FineTuned(
      float[][] trainX,
      float[][] devX,
      HeadOnlyCheckpointWriter.FineTunedLayers layers,
      EncoderFineTuning.Result result) {}

  /**
   * Fine-tunes the encoder's top layers (over cached bottom-layer states) with early stopping on
   * the same rows the head uses, rounds them to their float16 storage, and returns the features of
   * all train and dev texts through the fine-tuned encoder: the head is then trained on those
   * exactly as on frozen features.
   */
  private static FineTuned fineTune(
      Settings s,
      TextEncoder encoder,
      List<LabeledText> train,
      List<LabeledText> dev,
      int[] y,
      int[] devY,
      int[] fitRows,
      int[] stopRows,
      int classes) {
    if (!(encoder.encoder() instanceof BertEncoder bert)) {
      throw new IllegalStateException("fine-tuning needs the built-in BERT encoder");
    }
    List<Integer> layers = EncoderFineTuning.topLayers(bert, s.fineTune().layers());
    int from = layers.get(0);
    String id =
        s.base() == BaseEncoder.MINILM_L6
            ? "minilm-" + s.maxTokens()
            : s.base().shortName() + "-" + s.maxTokens();
    LayerStates trainStates =
        LayerStates.compute(
            encoder,
            train.stream().map(LabeledText::text).toList(),
            from,
            s.cacheDir(),
            id,
            "train");
    LayerStates devStates =
        LayerStates.compute(
            encoder, dev.stream().map(LabeledText::text).toList(), from, s.cacheDir(), id, "dev");
    LayerStates fit = trainStates.rows(fitRows);
    LayerStates stop = stopRows == null ? devStates : trainStates.rows(stopRows);
    int[] stopY = stopRows == null ? devY : rows(y, stopRows);
    MlpTrainer.Options head =
        new MlpTrainer.Options(
            s.hidden(),
            s.dropout(),
            s.lr(),
            s.weightDecay(),
            s.batchSize(),
            s.fineTune().epochs(),
            s.fineTune().patience(),
            s.seed(),
            true);
    EncoderFineTuning.Result r =
        EncoderFineTuning.train(
            bert, s.fineTune(), fit, rows(y, fitRows), stop, stopY, classes, head);
    r.history().forEach(System.out::println);
    EncoderLayers.roundToHalf(bert, layers);
    float[][] x = EncoderFineTuning.pooled(bert, from, trainStates);
    float[][] devX = EncoderFineTuning.pooled(bert, from, devStates);
    return new FineTuned(
        x,
        devX,
        new HeadOnlyCheckpointWriter.FineTunedLayers(layers, EncoderLayers.export(bert, layers)),
        r);
  }

  /**
   * The smallest logit shift (most recall) that keeps the dev false-positive rate at or below
   * {@code maxFpr}: with two classes, argmax after adding {@code shift} to the jailbreak logit is
   * the same as a threshold on the logit margin.
   */
  static float calibrate(MlpHead head, float[][] devX, int[] devY, int jailbreak, double maxFpr) {
    return calibrate(head, null, devX, null, devY, jailbreak, maxFpr);
  }

  static float calibrate(
      MlpHead head,
      LexicalLogits lexical,
      float[][] devX,
      List<LexicalFeatures.Vector> devLex,
      int[] devY,
      int jailbreak,
      double maxFpr) {
    List<Float> benignMargins = new ArrayList<>();
    int other = 1 - jailbreak;
    for (int i = 0; i < devX.length; i++) {
      if (devY[i] != jailbreak) {
        float[] l =
            MlpTrainer.logits(head, lexical, devX[i], devLex == null ? null : devLex.get(i));
        benignMargins.add(l[jailbreak] - l[other]);
      }
    }
    benignMargins.sort(null);
    int allowed = (int) Math.floor(maxFpr * benignMargins.size());
    // Flag when margin + shift > 0; the (allowed+1)-th largest benign margin must stay <= -shift.
    float cut = benignMargins.get(benignMargins.size() - 1 - allowed);
    float shift = -cut - 1e-4f;
    // Never make the guard more trigger-happy than the trained head.
    return Math.min(shift, 0f);
  }

  static ClassificationReport report(MlpHead head, float[][] x, int[] y, List<String> labels) {
    return report(head, null, x, null, y, labels);
  }

  static ClassificationReport report(
      MlpHead head,
      LexicalLogits lexical,
      float[][] x,
      List<LexicalFeatures.Vector> lex,
      int[] y,
      List<String> labels) {
    List<String> gold = new ArrayList<>();
    List<String> pred = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      gold.add(labels.get(y[i]));
      pred.add(
          labels.get(
              MlpTrainer.argmax(
                  MlpTrainer.logits(head, lexical, x[i], lex == null ? null : lex.get(i)))));
    }
    return ClassificationReport.of(gold, pred, labels);
  }

  private static LexicalLogits averageLexical(List<LexicalLogits> members) {
    LexicalLogits first = members.get(0);
    float[] w = new float[first.weight().length];
    for (LexicalLogits m : members) {
      for (int i = 0; i < w.length; i++) {
        w[i] += m.weight()[i] / members.size();
      }
    }
    return new LexicalLogits(first.features(), first.classes(), w);
  }

  private static int[] range(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  private static float[][] rows(float[][] a, int[] idx) {
    float[][] out = new float[idx.length][];
    for (int i = 0; i < idx.length; i++) {
      out[i] = a[idx[i]];
    }
    return out;
  }

  private static int[] rows(int[] a, int[] idx) {
    int[] out = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = a[idx[i]];
    }
    return out;
  }

  private static <T> List<T> pick(List<T> all, int[] idx) {
    List<T> out = new ArrayList<>(idx.length);
    for (int i : idx) {
      out.add(all.get(i));
    }
    return out;
  }

  private static List<LabeledText> normalize(List<LabeledText> rows, boolean jailbreak) {
    if (!jailbreak) {
      return rows;
    }
    List<LabeledText> out = new ArrayList<>(rows.size());
    for (LabeledText r : rows) {
      out.add(new LabeledText(r.text(), JailbreakLabels.normalize(r.label())));
    }
    return out;
  }

  private static int[] indices(List<LabeledText> rows, List<String> labels) {
    int[] y = new int[rows.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.indexOf(rows.get(i).label());
      if (y[i] < 0) {
        throw new DataException(
            "dev label '" + rows.get(i).label() + "' does not occur in training data");
      }
    }
    return y;
  }

  static void ensureDir(Path p) throws IOException {
    Files.createDirectories(p);
  }
}
