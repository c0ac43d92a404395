package io.semroute.classifier.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.classifier.BuiltinEncoder;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.data.BioLabeler;
import io.semroute.classifier.data.CharSpan;
import io.semroute.classifier.data.Jsonl;
import io.semroute.classifier.data.SpanExample;
import io.semroute.classifier.data.TemplateSplit;
import io.semroute.classifier.eval.EntityReport;
import io.semroute.classifier.pii.PatternPiiDetector;
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
    try (TextEncoder encoder = BuiltinEncoder.load(LoadOptions.DEFAULT.withMaxTokens(s.maxTokens()))) {
      EmbeddingCache cache = new EmbeddingCache(encoder, s.cacheDir(), "minilm-tokens-" + s.maxTokens());
      trainRows = rows(encoder, cache, train, labels, "train");
      devRows = rows(encoder, cache, dev, labels, "dev");
      devTokens = encoder.tokenize(dev.stream().map(SpanExample::text).toList());
    }
    MlpTrainer.Options o = new MlpTrainer.Options(s.hidden(), s.dropout(), s.lr(), s.weightDecay(), s.batchSize(),
        s.epochs(), s.patience(), s.seed(), false);
    MlpTrainer.Result r = MlpTrainer.train(trainRows.x, trainRows.y, devRows.x, devRows.y, labels.size(), o);

    EntityReport report = entityReport(r.head(), dev, devTokens, devRows, labels);
    System.out.println("dev entity report (model + pattern recognizers):");
    System.out.println(report.format());

    ObjectNode training = new ObjectMapper().createObjectNode();
    training.put("seed", s.seed());
    training.put("train_texts", train.size());
    training.put("dev_texts", dev.size());
    training.put("best_epoch", r.bestEpoch());
    training.put("dev_token_macro_f1", r.bestDevMacroF1());
    HeadModels.write(s.out(), true, r.head(), labels, s.maxTokens(), training);
    String card = "# pii token head over the built-in encoder\n\n"
        + "Token classifier (BIO over " + types.size() + " Presidio entity types): for each token, the frozen\n"
        + "all-MiniLM-L6-v2 states of the token and its two neighbours into an MLP head ("
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

  private static Rows rows(TextEncoder encoder, EmbeddingCache cache, List<SpanExample> rows, List<String> labels, String what) {
    List<String> texts = rows.stream().map(SpanExample::text).toList();
    List<float[][]> states = cache.tokenStates(texts, what);
    List<TokenizedText> tokens = encoder.tokenize(texts);
    List<float[]> x = new ArrayList<>();
    List<Integer> y = new ArrayList<>();
    List<int[]> where = new ArrayList<>();
    for (int t = 0; t < rows.size(); t++) {
      TokenizedText tt = tokens.get(t);
      List<String> tags = BioLabeler.label(offsets(tt), rows.get(t).spans());
      for (int i = 0; i < tt.length(); i++) {
        if (tags.get(i).equals(BioLabeler.IGNORE)) {
          continue;
        }
        int label = labels.indexOf(tags.get(i));
        x.add(TokenFeatures.window(states.get(t), i));
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

  private static EntityReport entityReport(MlpHead head, List<SpanExample> dev, List<TokenizedText> tokens, Rows devRows,
      List<String> labels) {
    List<List<String>> tags = new ArrayList<>();
    for (TokenizedText t : tokens) {
      List<String> l = new ArrayList<>();
      for (int i = 0; i < t.length(); i++) {
        l.add(BioLabeler.IGNORE);
      }
      tags.add(l);
    }
    for (int k = 0; k < devRows.x.length; k++) {
      int[] w = devRows.where.get(k);
      tags.get(w[0]).set(w[1], labels.get(MlpTrainer.argmax(head.logits(devRows.x[k]))));
    }
    PatternPiiDetector patterns = PatternPiiDetector.defaults();
    EntityReport report = new EntityReport();
    for (int t = 0; t < dev.size(); t++) {
      String text = dev.get(t).text();
      List<PiiEntity> model = new ArrayList<>();
      for (CharSpan c : BioLabeler.decode(offsets(tokens.get(t)), tags.get(t))) {
        model.add(PiiEntity.of(text, c.label(), c.start(), c.end(), 0.9, PiiEntity.Origin.MODEL));
      }
      List<CharSpan> predicted = new ArrayList<>();
      for (PiiEntity e : patterns.detect(text, model)) {
        predicted.add(new CharSpan(e.start(), e.end(), e.type()));
      }
      report.add(dev.get(t).spans(), predicted);
    }
    return report;
  }
}
