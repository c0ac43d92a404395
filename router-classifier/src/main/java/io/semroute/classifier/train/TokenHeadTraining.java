package io.semroute.classifier.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.classifier.BuiltinEncoder;
import io.semroute.classifier.encoder.BertEncoder;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.data.BioLabeler;
import io.semroute.classifier.data.CharSpan;
import io.semroute.classifier.data.Jsonl;
import io.semroute.classifier.data.SpanExample;
import io.semroute.classifier.data.TemplateSplit;
import io.semroute.classifier.eval.EntityReport;
import io.semroute.classifier.TokenLabel;
import io.semroute.classifier.head.TokenShapeFeatures;
import io.semroute.classifier.pii.ModelEntityDecoder;
import io.semroute.classifier.pii.PatternPiiDetector;
import io.semroute.classifier.pii.PiiDetector;
import io.semroute.classifier.pii.PiiEntity;
import io.semroute.classifier.text.TokenizedText;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * PII token-head training: BIO tags from the character spans (via the tokenizer's offsets),
 * [prev, self, next] frozen encoder states per token, an MLP head with early stopping on dev
 * token macro-F1; the dev report is entity-level, after merging with the pattern recognizers
 * exactly as serving does.
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
    TreeSet<String> types = new TreeSet<>();
    train.forEach(r -> r.spans().forEach(sp -> types.add(sp.label())));
    List<String> labels = new ArrayList<>();
    labels.add(BioLabeler.OUTSIDE);
    for (String t : types) {
      labels.add("B-" + t);
      labels.add("I-" + t);
    }
    System.out.printf("task pii: %d train, %d dev texts, %d entity types%n", train.size(), dev.size(), types.size());

    Rows trainRows;
    Rows devRows;
    List<TokenizedText> devTokens;
    HeadModels.FineTunedLayers fineTuned = null;
    EncoderFineTuning.Result ftResult = null;
    try (TextEncoder encoder = BuiltinEncoder.load(LoadOptions.DEFAULT.withMaxTokens(s.maxTokens()))) {
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
        LayerStates trainBottom = LayerStates.compute(encoder, trainTexts, from, s.cacheDir(), id, "train");
        LayerStates devBottom = LayerStates.compute(encoder, devTexts, from, s.cacheDir(), id, "dev");
        MlpTrainer.Options head = new MlpTrainer.Options(s.hidden(), s.dropout(), s.lr(), s.weightDecay(),
            s.batchSize(), s.fineTune().epochs(), s.fineTune().patience(), s.seed(), false);
        ftResult = TokenEncoderFineTuning.train(bert, s.fineTune(), trainBottom, targets(encoder, train, labels),
            devBottom, targets(encoder, dev, labels), labels.size(), head);
        ftResult.history().forEach(System.out::println);
        EncoderLayers.roundToHalf(bert, layers);
        trainStates = TokenEncoderFineTuning.tokenStates(bert, from, trainBottom);
        devStates = TokenEncoderFineTuning.tokenStates(bert, from, devBottom);
        fineTuned = new HeadModels.FineTunedLayers(layers, EncoderLayers.export(bert, layers));
      } else {
        EmbeddingCache cache = new EmbeddingCache(encoder, s.cacheDir(), "minilm-tokens-" + s.maxTokens());
        trainStates = cache.tokenStates(trainTexts, "train");
        devStates = cache.tokenStates(devTexts, "dev");
      }
      trainRows = rows(encoder, trainStates, train, labels);
      devRows = rows(encoder, devStates, dev, labels);
      devTokens = encoder.tokenize(devTexts);
    }
    MlpTrainer.Options o = new MlpTrainer.Options(s.hidden(), s.dropout(), s.lr(), s.weightDecay(), s.batchSize(),
        s.epochs(), s.patience(), s.seed(), false);
    MlpTrainer.Result r = MlpTrainer.train(trainRows.x, trainRows.y, devRows.x, devRows.y, labels.size(), o);

    EntityReport report = entityReport(r.head(), dev, devTokens, devRows, labels, true);
    System.out.println("dev entity report (model + pattern recognizers, B- after separators joins):");
    System.out.println(report.format());
    System.out.println("dev entity report (model + pattern recognizers, strict BIO):");
    System.out.println(entityReport(r.head(), dev, devTokens, devRows, labels, false).format());

    ObjectNode training = new ObjectMapper().createObjectNode();
    training.put("seed", s.seed());
    training.put("train_texts", train.size());
    training.put("dev_texts", dev.size());
    training.put("best_epoch", r.bestEpoch());
    training.put("dev_token_macro_f1", r.bestDevMacroF1());
    if (ftResult != null) {
      ObjectNode ft = training.putObject("fine_tuning");
      ft.put("layers", s.fineTune().layers());
      ft.put("encoder_lr", s.fineTune().encoderLr());
      ft.put("max_epochs", s.fineTune().epochs());
      ft.put("batch_size", s.fineTune().batchSize());
      ft.put("best_epoch", ftResult.bestEpoch());
      ft.put("best_stop_token_macro_f1", ftResult.bestStopMacroF1());
    }
    HeadModels.write(s.out(), true, r.head(), labels, s.maxTokens(), training, true, fineTuned);
    String card = "# pii token head over the built-in encoder\n\n"
        + "Token classifier (BIO over " + types.size() + " Presidio entity types): for each token, the frozen\n"
        + (ftResult == null ? "" : "(top " + s.fineTune().layers() + " encoder layer(s) fine-tuned first, stored as float16 in"
            + " model.safetensors, config.json `fine_tuned_encoder_layers`; best fine-tuning epoch " + ftResult.bestEpoch()
            + ")\n")
        + "all-MiniLM-L6-v2 states of the token and its two neighbours, each with " + TokenShapeFeatures.SIZE + " case/shape features\n"
        + "of the original text (" + TokenShapeFeatures.NAME + "), into an MLP head ("
        + (s.hidden() == 0 ? "linear" : s.hidden() + " ReLU units") + ").\n"
        + "At serving time its entities are merged with the deterministic recognizers (io.semroute.classifier.pii).\n\n"
        + "Trained by:\n\n```\n" + ModelCard.command(s) + "\n```\n\n"
        + "Rows: " + train.size() + " train, " + dev.size() + " dev texts (split by template_id). Best epoch " + r.bestEpoch() + ".\n\n"
        + "## Dev metrics (entity level, exact boundaries, model + recognizers)\n\n```\n" + report.format() + "```\n\n"
        + "Training history:\n\n```\n" + String.join("\n", r.history()) + "\n```\n\n" + ModelCard.ATTRIBUTION;
    Files.writeString(s.out().resolve("README.md"), card);
    System.out.println("wrote " + s.out().toAbsolutePath());
  }

  private record Rows(float[][] x, int[] y, List<int[]> where) {}

  /** Per-token classes (-1 = no loss) and shape features of each text, for encoder fine-tuning. */
  private static TokenEncoderFineTuning.Targets targets(TextEncoder encoder, List<SpanExample> rows, List<String> labels) {
    List<TokenizedText> tokens = encoder.tokenize(rows.stream().map(SpanExample::text).toList());
    int[][] y = new int[rows.size()][];
    float[][][] extra = new float[rows.size()][][];
    for (int t = 0; t < rows.size(); t++) {
      TokenizedText tt = tokens.get(t);
      List<String> tags = BioLabeler.label(offsets(tt), rows.get(t).spans());
      y[t] = new int[tt.length()];
      for (int i = 0; i < tt.length(); i++) {
        y[t][i] = tags.get(i).equals(BioLabeler.IGNORE) ? -1 : Math.max(labels.indexOf(tags.get(i)), 0);
      }
      extra[t] = TokenShapeFeatures.of(tt);
    }
    return new TokenEncoderFineTuning.Targets(y, extra);
  }

  private static Rows rows(TextEncoder encoder, List<float[][]> states, List<SpanExample> rows, List<String> labels) {
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
    return new Rows(x.toArray(new float[0][]), y.stream().mapToInt(Integer::intValue).toArray(), where);
  }

  /** Token offsets with special tokens as empty spans, which BioLabeler ignores. */
  static List<int[]> offsets(TokenizedText t) {
    List<int[]> out = new ArrayList<>(t.length());
    for (int i = 0; i < t.length(); i++) {
      out.add(t.special()[i] || t.charStart()[i] < 0 ? new int[] {0, 0} : new int[] {t.charStart()[i], t.charEnd()[i]});
    }
    return out;
  }

  /**
   * Dev entities exactly as serving finds them: per-token argmax labels with their softmax
   * probabilities, read word by word by {@link ModelEntityDecoder} (structured types left to the
   * recognizers, low-probability entities dropped), then merged with the recognizers.
   */
  private static EntityReport entityReport(MlpHead head, List<SpanExample> dev, List<TokenizedText> tokens, Rows devRows,
      List<String> labels, boolean join) {
    List<List<TokenLabel>> perText = new ArrayList<>();
    for (int t = 0; t < tokens.size(); t++) {
      perText.add(new ArrayList<>());
    }
    for (int k = 0; k < devRows.x.length; k++) {
      int[] w = devRows.where.get(k);
      float[] logits = head.logits(devRows.x[k]);
      int best = MlpTrainer.argmax(logits);
      double sum = 0;
      for (float l : logits) {
        sum += Math.exp(l - logits[best]);
      }
      TokenizedText tt = tokens.get(w[0]);
      perText.get(w[0]).add(new TokenLabel(tt.tokens()[w[1]], labels.get(best), (float) (1 / sum),
          tt.charStart()[w[1]], tt.charEnd()[w[1]]));
    }
    PatternPiiDetector patterns = PatternPiiDetector.defaults();
    ModelEntityDecoder decoder = new ModelEntityDecoder(patterns.types(), PiiDetector.DEFAULT_MIN_MODEL_SCORE, join);
    EntityReport report = new EntityReport();
    for (int t = 0; t < dev.size(); t++) {
      String text = dev.get(t).text();
      List<CharSpan> predicted = new ArrayList<>();
      for (PiiEntity e : patterns.detect(text, decoder.decode(text, perText.get(t)))) {
        predicted.add(new CharSpan(e.start(), e.end(), e.type()));
      }
      report.add(dev.get(t).spans(), predicted);
    }
    return report;
  }
}
