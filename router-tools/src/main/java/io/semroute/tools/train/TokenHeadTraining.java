package io.semroute.tools.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.TokenLabel;
import io.semroute.classifier.encoder.bert.BertEncoder;
import io.semroute.classifier.head.TokenShapeFeatures;
import io.semroute.classifier.pii.ModelEntityDecoder;
import io.semroute.classifier.pii.PatternPiiDetector;
import io.semroute.classifier.pii.PiiDetector;
import io.semroute.classifier.pii.PiiEntity;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.classifier.text.TokenizedText;
import io.semroute.tools.data.BioLabeler;
import io.semroute.tools.data.CharSpan;
import io.semroute.tools.data.Jsonl;
import io.semroute.tools.data.SpanExample;
import io.semroute.tools.data.TemplateSplit;
import io.semroute.tools.eval.EntityReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * PII token-head training: BIO tags from the character spans (via the tokenizer's offsets), [prev,
 * self, next] frozen encoder states per token, an MLP head with early stopping on dev token
 * macro-F1; the dev report is entity-level, after merging with the pattern recognizers exactly as
 * serving does.
 */
public final class TokenHeadTraining {
  private TokenHeadTraining() {}

  public static void run(HeadTraining.Settings s) throws IOException {
    List<SpanExample> train = Jsonl.readSpans(s.data());
    List<SpanExample> dev;
    if (s.dev() != null) {
      dev = Jsonl.readSpans(s.dev());
    } else {
      TemplateSplit.Result r = TemplateSplit.split(train, 0.15, s.seed());
      train = r.train();
      dev = r.heldOut();
    }
    Fit f = fit(train, dev, s);
    EntityReport report = entityReport(f, dev, decoders().get(DEFAULT_DECODER));
    System.out.println("dev entity report (model + pattern recognizers, serving decoder):");
    System.out.println(report.format());

    ObjectNode training = new ObjectMapper().createObjectNode();
    training.put("seed", s.seed());
    training.put("train_texts", train.size());
    training.put("dev_texts", dev.size());
    training.put("best_epoch", f.bestEpochs.get(0));
    if (s.ensemble() > 1) {
      training.put("ensemble_seeds", s.ensemble());
      f.bestEpochs.forEach(training.putArray("ensemble_best_epochs")::add);
    }
    training.put("dev_token_macro_f1", f.devMacroF1);
    EncoderFineTuning.Result ftResult = f.ftResult;
    if (ftResult != null) {
      ObjectNode ft = training.putObject("fine_tuning");
      ft.put("layers", s.fineTune().layers());
      ft.put("encoder_lr", s.fineTune().encoderLr());
      ft.put("max_epochs", s.fineTune().epochs());
      ft.put("batch_size", s.fineTune().batchSize());
      ft.put("best_epoch", ftResult.bestEpoch());
      ft.put("best_stop_token_macro_f1", ftResult.bestStopMacroF1());
    }
    HeadOnlyCheckpointWriter.write(
        s.out(), true, f.head, f.labels, s.maxTokens(), training, true, f.fineTuned);
    String card =
        "# pii token head over the built-in encoder\n\n"
            + "Token classifier (BIO over "
            + (f.labels.size() - 1) / 2
            + " Presidio entity types): for each token, the frozen\n"
            + (ftResult == null
                ? ""
                : "(top "
                    + s.fineTune().layers()
                    + " encoder layer(s) fine-tuned first, stored as float16 in"
                    + " model.safetensors, config.json `fine_tuned_encoder_layers`; best fine-tuning epoch "
                    + ftResult.bestEpoch()
                    + ")\n")
            + "all-MiniLM-L6-v2 states of the token and its two neighbours, each with "
            + TokenShapeFeatures.SIZE
            + " case/shape features\n"
            + "of the original text ("
            + TokenShapeFeatures.NAME
            + "), into an MLP head ("
            + (s.hidden() == 0 ? "linear" : s.hidden() + " ReLU units")
            + (s.ensemble() > 1 ? ", seed ensemble of " + s.ensemble() : "")
            + ").\n"
            + "At serving time its entities are merged with the deterministic recognizers (io.semroute.classifier.pii).\n\n"
            + "Trained by:\n\n```\n"
            + ModelCard.command(s)
            + "\n```\n\n"
            + "Rows: "
            + train.size()
            + " train, "
            + dev.size()
            + " dev texts (split by template_id). Best epoch(s) "
            + f.bestEpochs
            + ".\n\n"
            + "## Dev metrics (entity level, exact boundaries, model + recognizers)\n\n```\n"
            + report.format()
            + "```\n\n"
            + "Training history:\n\n```\n"
            + String.join("\n", f.history)
            + "\n```\n\n"
            + ModelCard.ATTRIBUTION;
    Files.writeString(s.out().resolve("README.md"), card);
    System.out.println("wrote " + s.out().toAbsolutePath());
  }

  /**
   * Placeholder in {@code --data} / {@code --dev} replaced by the fold number in cross-validation.
   */
  public static final String FOLD = "{fold}";

  /**
   * Template-level cross-validation ({@code train prepare --pii-cv-folds K} writes the sets): one
   * head per fold, trained exactly as {@link #run} trains (early stopping on the fold's own rows,
   * so figures are a little optimistic, equally for every variant compared), and the folds' entity
   * reports pooled, so every train/dev template is scored once. Writes the pooled reports and each
   * fold's predictions (for error analysis) into {@code out}; writes no model.
   */
  public static void crossValidate(HeadTraining.Settings s, int folds) throws IOException {
    Map<String, EntityReport> pooled = new LinkedHashMap<>();
    List<String> epochs = new ArrayList<>();
    Files.createDirectories(s.out());
    List<Map<String, Object>> predictions = new ArrayList<>();
    for (int k = 0; k < folds; k++) {
      List<SpanExample> train =
          Jsonl.readSpans(Path.of(s.data().toString().replace(FOLD, Integer.toString(k))));
      List<SpanExample> dev =
          Jsonl.readSpans(Path.of(s.dev().toString().replace(FOLD, Integer.toString(k))));
      System.out.printf("fold %d of %d%n", k + 1, folds);
      Fit f = fit(train, dev, s);
      epochs.add("fold " + k + ": best epochs " + f.bestEpochs);
      for (Map.Entry<String, ModelEntityDecoder> d : decoders().entrySet()) {
        List<List<CharSpan>> predicted = predict(f, dev, d.getValue());
        EntityReport r = pooled.computeIfAbsent(d.getKey(), x -> new EntityReport());
        for (int t = 0; t < dev.size(); t++) {
          r.add(dev.get(t).spans(), predicted.get(t));
          if (d.getKey().equals(DEFAULT_DECODER)) {
            predictions.add(predictionRow(k, dev.get(t), predicted.get(t)));
          }
        }
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("template-level cross-validation, ")
        .append(folds)
        .append(" folds, pooled (model + recognizers)\n");
    epochs.forEach(e -> out.append(e).append('\n'));
    pooled.forEach(
        (name, r) -> out.append("\ndecoder ").append(name).append(":\n").append(r.format()));
    System.out.println(out);
    Files.writeString(s.out().resolve("cv_report.txt"), out.toString());
    Jsonl.write(s.out().resolve("cv_predictions.jsonl"), predictions);
    System.out.println("wrote " + s.out().resolve("cv_report.txt").toAbsolutePath());
  }

  private static final String DEFAULT_DECODER = "serving";

  /**
   * The decoder settings cross-validation compares; {@link #DEFAULT_DECODER} is what {@link
   * PiiDetector} serves (B- joins only for PERSON, boundary rules of {@link
   * io.semroute.classifier.pii.EntityShapes}).
   */
  private static Map<String, ModelEntityDecoder> decoders() {
    Set<String> skip = PatternPiiDetector.defaults().types();
    double min = PiiDetector.DEFAULT_MIN_MODEL_SCORE;
    Map<String, ModelEntityDecoder> m = new LinkedHashMap<>();
    m.put(DEFAULT_DECODER, new ModelEntityDecoder(skip, min));
    m.put(
        "serving without address layout",
        new ModelEntityDecoder(skip, min, ModelEntityDecoder.SERVING_JOIN_TYPES, true, false));
    m.put("join-all+shapes+layout", new ModelEntityDecoder(skip, min, null, true, true));
    m.put("join-all+shapes", new ModelEntityDecoder(skip, min, null, true, false));
    m.put("strict+shapes+layout", new ModelEntityDecoder(skip, min, Set.of(), true, true));
    m.put("strict+shapes", new ModelEntityDecoder(skip, min, Set.of(), true, false));
    m.put("join-all (before 2026-11-24 afternoon)", new ModelEntityDecoder(skip, min, true));
    m.put("strict", new ModelEntityDecoder(skip, min, false));
    return m;
  }

  private static Map<String, Object> predictionRow(
      int fold, SpanExample row, List<CharSpan> predicted) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fold", fold);
    m.put("template_id", row.templateId());
    m.put("text", row.text());
    m.put("gold", spans(row.text(), row.spans()));
    m.put("predicted", spans(row.text(), predicted));
    return m;
  }

  private static List<String> spans(String text, List<CharSpan> spans) {
    return spans.stream()
        .map(c -> c.label() + " [" + text.substring(c.start(), c.end()) + "]")
        .toList();
  }

  /** A trained head with what is needed to decode the dev rows. */
  private record Fit(
      MlpHead head,
      List<String> labels,
      List<Integer> bestEpochs,
      double devMacroF1,
      List<String> history,
      List<TokenizedText> devTokens,
      Rows devRows,
      HeadOnlyCheckpointWriter.FineTunedLayers fineTuned,
      EncoderFineTuning.Result ftResult) {}

  private static Fit fit(List<SpanExample> train, List<SpanExample> dev, HeadTraining.Settings s) {
    TreeSet<String> types = new TreeSet<>();
    train.forEach(r -> r.spans().forEach(sp -> types.add(sp.label())));
    List<String> labels = new ArrayList<>();
    labels.add(BioLabeler.OUTSIDE);
    for (String t : types) {
      labels.add("B-" + t);
      labels.add("I-" + t);
    }
    System.out.printf(
        "task pii: %d train, %d dev texts, %d entity types%n",
        train.size(), dev.size(), types.size());

    Rows trainRows;
    Rows devRows;
    List<TokenizedText> devTokens;
    HeadOnlyCheckpointWriter.FineTunedLayers fineTuned = null;
    EncoderFineTuning.Result ftResult = null;
    try (TextEncoder encoder =
        ClassifierRegistry.builtinEncoder(LoadOptions.DEFAULT.withMaxTokens(s.maxTokens()))) {
      List<String> trainTexts = train.stream().map(SpanExample::text).toList();
      List<String> devTexts = dev.stream().map(SpanExample::text).toList();
      List<float[][]> trainStates;
      List<float[][]> devStates;
      if (s.fineTune().enabled()) {
        // Top layers fine-tuned with a token head first; the real head then trains on their states.
        BertEncoder bert = (BertEncoder) encoder.encoder();
        List<Integer> layers = EncoderFineTuning.topLayers(bert, s.fineTune().layers());
        int from = layers.get(0);
        String id = "minilm-" + s.maxTokens();
        LayerStates trainBottom =
            LayerStates.compute(encoder, trainTexts, from, s.cacheDir(), id, "train");
        LayerStates devBottom =
            LayerStates.compute(encoder, devTexts, from, s.cacheDir(), id, "dev");
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
                false);
        ftResult =
            TokenEncoderFineTuning.train(
                bert,
                s.fineTune(),
                trainBottom,
                targets(encoder, train, labels),
                devBottom,
                targets(encoder, dev, labels),
                labels.size(),
                head);
        ftResult.history().forEach(System.out::println);
        EncoderLayers.roundToHalf(bert, layers);
        trainStates = TokenEncoderFineTuning.tokenStates(bert, from, trainBottom);
        devStates = TokenEncoderFineTuning.tokenStates(bert, from, devBottom);
        fineTuned =
            new HeadOnlyCheckpointWriter.FineTunedLayers(
                layers, EncoderLayers.export(bert, layers));
      } else {
        EmbeddingCache cache =
            new EmbeddingCache(encoder, s.cacheDir(), "minilm-tokens-" + s.maxTokens());
        trainStates = cache.tokenStates(trainTexts, "train");
        devStates = cache.tokenStates(devTexts, "dev");
      }
      trainRows = rows(encoder, trainStates, train, labels);
      devRows = rows(encoder, devStates, dev, labels);
      devTokens = encoder.tokenize(devTexts);
    }
    List<MlpHead> heads = new ArrayList<>();
    List<Integer> bestEpochs = new ArrayList<>();
    List<String> history = new ArrayList<>();
    double devF1 = 0;
    // Seed ensemble: members differ in init, batch order and dropout; averaged into one wider head.
    for (int k = 0; k < Math.max(1, s.ensemble()); k++) {
      MlpTrainer.Options o =
          new MlpTrainer.Options(
              s.hidden(),
              s.dropout(),
              s.lr(),
              s.weightDecay(),
              s.batchSize(),
              s.epochs(),
              s.patience(),
              s.seed() + k,
              false);
      MlpTrainer.Result r =
          MlpTrainer.train(trainRows.x, trainRows.y, devRows.x, devRows.y, labels.size(), o);
      heads.add(r.head());
      bestEpochs.add(r.bestEpoch());
      history.addAll(r.history());
      devF1 = r.bestDevMacroF1();
    }
    MlpHead head = heads.size() == 1 ? heads.get(0) : MlpHead.average(heads);
    if (heads.size() > 1) {
      devF1 = MlpTrainer.devMacroF1(head, null, devRows.x, null, devRows.y);
      System.out.printf(
          Locale.ROOT, "ensemble of %d: dev token macro-F1 %.4f%n", heads.size(), devF1);
    }
    return new Fit(
        head, labels, bestEpochs, devF1, history, devTokens, devRows, fineTuned, ftResult);
  }

  private record Rows(float[][] x, int[] y, List<int[]> where) {}

  /** Per-token classes (-1 = no loss) and shape features of each text, for encoder fine-tuning. */
  private static TokenEncoderFineTuning.Targets targets(
      TextEncoder encoder, List<SpanExample> rows, List<String> labels) {
    List<TokenizedText> tokens = encoder.tokenize(rows.stream().map(SpanExample::text).toList());
    int[][] y = new int[rows.size()][];
    float[][][] extra = new float[rows.size()][][];
    for (int t = 0; t < rows.size(); t++) {
      TokenizedText tt = tokens.get(t);
      List<String> tags = BioLabeler.label(offsets(tt), rows.get(t).spans());
      y[t] = new int[tt.length()];
      for (int i = 0; i < tt.length(); i++) {
        y[t][i] =
            tags.get(i).equals(BioLabeler.IGNORE) ? -1 : Math.max(labels.indexOf(tags.get(i)), 0);
      }
      extra[t] = TokenShapeFeatures.of(tt);
    }
    return new TokenEncoderFineTuning.Targets(y, extra);
  }

  private static Rows rows(
      TextEncoder encoder, List<float[][]> states, List<SpanExample> rows, List<String> labels) {
    List<String> texts = rows.stream().map(SpanExample::text).toList();
    List<TokenizedText> tokens = encoder.tokenize(texts);
    List<float[]> x = new ArrayList<>();
    List<Integer> y = new ArrayList<>();
    List<int[]> where = new ArrayList<>();
    for (int t = 0; t < rows.size(); t++) {
      TokenizedText tt = tokens.get(t);
      List<String> tags = BioLabeler.label(offsets(tt), rows.get(t).spans());
      float[][] shape = TokenShapeFeatures.of(tt);
      for (int i = 0; i < tt.length(); i++) {
        if (tags.get(i).equals(BioLabeler.IGNORE)) {
          continue;
        }
        int label = labels.indexOf(tags.get(i));
        x.add(TokenFeatures.window(states.get(t), shape, i));
        y.add(Math.max(label, 0)); // types unseen in training count as O
        where.add(new int[] {t, i});
      }
    }
    return new Rows(
        x.toArray(new float[0][]), y.stream().mapToInt(Integer::intValue).toArray(), where);
  }

  /** Token offsets with special tokens as empty spans, which BioLabeler ignores. */
  static List<int[]> offsets(TokenizedText t) {
    List<int[]> out = new ArrayList<>(t.length());
    for (int i = 0; i < t.length(); i++) {
      out.add(
          t.special()[i] || t.charStart()[i] < 0
              ? new int[] {0, 0}
              : new int[] {t.charStart()[i], t.charEnd()[i]});
    }
    return out;
  }

  /**
   * Dev entities exactly as serving finds them: per-token argmax labels with their softmax
   * probabilities, read word by word by the decoder (structured types left to the recognizers,
   * low-probability entities dropped), then merged with the recognizers.
   */
  private static List<List<CharSpan>> predict(
      Fit f, List<SpanExample> dev, ModelEntityDecoder decoder) {
    List<List<TokenLabel>> perText = new ArrayList<>();
    for (int t = 0; t < f.devTokens.size(); t++) {
      perText.add(new ArrayList<>());
    }
    for (int k = 0; k < f.devRows.x.length; k++) {
      int[] w = f.devRows.where.get(k);
      float[] logits = f.head.logits(f.devRows.x[k]);
      int best = MlpTrainer.argmax(logits);
      double sum = 0;
      for (float l : logits) {
        sum += Math.exp(l - logits[best]);
      }
      TokenizedText tt = f.devTokens.get(w[0]);
      perText
          .get(w[0])
          .add(
              new TokenLabel(
                  tt.tokens()[w[1]],
                  f.labels.get(best),
                  (float) (1 / sum),
                  tt.charStart()[w[1]],
                  tt.charEnd()[w[1]]));
    }
    PatternPiiDetector patterns = PatternPiiDetector.defaults();
    List<List<CharSpan>> out = new ArrayList<>();
    for (int t = 0; t < dev.size(); t++) {
      String text = dev.get(t).text();
      List<CharSpan> predicted = new ArrayList<>();
      for (PiiEntity e : patterns.detect(text, decoder.decode(text, perText.get(t)))) {
        predicted.add(new CharSpan(e.start(), e.end(), e.type()));
      }
      out.add(predicted);
    }
    return out;
  }

  private static EntityReport entityReport(
      Fit f, List<SpanExample> dev, ModelEntityDecoder decoder) {
    EntityReport report = new EntityReport();
    List<List<CharSpan>> predicted = predict(f, dev, decoder);
    for (int t = 0; t < dev.size(); t++) {
      report.add(dev.get(t).spans(), predicted.get(t));
    }
    return report;
  }
}
