package io.semroute.tools.cli;

import io.semroute.classifier.TorchRuntime;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.registry.BaseEncoder;
import io.semroute.tools.data.CachePairData;
import io.semroute.tools.data.DataException;
import io.semroute.tools.data.DatasetAssembler;
import io.semroute.tools.data.TaskTypeData;
import io.semroute.tools.routing.OutcomeTraining;
import io.semroute.tools.train.FineTuneSettings;
import io.semroute.tools.train.HeadTraining;
import io.semroute.tools.train.TokenHeadTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code train --task category|jailbreak|pii --data FILE.jsonl [--dev FILE] --out DIR}: trains a
 * head over the frozen built-in encoder; {@code train prepare} assembles the data sets first.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train a classifier head over the built-in encoder; 'train prepare' writes the assembled data sets.",
    subcommands = TrainCommand.Prepare.class)
public final class TrainCommand implements Callable<Integer> {

  // Not picocli-required: `train prepare` must run without them (checked in call()).
  @Option(names = "--task", description = "category, jailbreak, pii or outcomes (required)")
  EvalCommand.Task task;

  @Option(
      names = "--data",
      description = "training JSONL (text+label, or text+spans for pii) (required)")
  Path data;

  @Option(
      names = "--dev",
      description =
          "dev JSONL for early stopping and calibration; default: a seeded 10%% of --data")
  Path dev;

  @Option(names = "--out", description = "output model directory (required)")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "seed for init, batch order, dropout (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--hidden",
      defaultValue = "512",
      description = "hidden units of the head; 0 = linear (default ${DEFAULT-VALUE})")
  int hidden;

  @Option(
      names = "--epochs",
      defaultValue = "60",
      description = "maximum epochs (default ${DEFAULT-VALUE})")
  int epochs;

  @Option(
      names = "--patience",
      defaultValue = "8",
      description =
          "epochs without dev improvement before stopping; 0 = no early stopping, the last epoch is kept (default ${DEFAULT-VALUE})")
  int patience;

  @Option(
      names = "--lr",
      defaultValue = "0.001",
      description = "Adam learning rate (default ${DEFAULT-VALUE})")
  float lr;

  @Option(
      names = "--weight-decay",
      defaultValue = "0.0001",
      description = "(default ${DEFAULT-VALUE})")
  float weightDecay;

  @Option(names = "--dropout", defaultValue = "0.2", description = "(default ${DEFAULT-VALUE})")
  float dropout;

  @Option(names = "--batch-size", defaultValue = "64", description = "(default ${DEFAULT-VALUE})")
  int batchSize;

  @Option(
      names = "--max-tokens",
      defaultValue = "256",
      description = "encoder input budget per text (default ${DEFAULT-VALUE})")
  int maxTokens;

  @Option(
      names = "--max-dev-fpr",
      defaultValue = "0.01",
      description =
          "jailbreak: pick the decision threshold so at most this share of dev benign texts is flagged (default ${DEFAULT-VALUE})")
  double maxDevFpr;

  @Option(
      names = "--cache-dir",
      defaultValue = "target/embedding-cache",
      description = "where encoder features are cached (default ${DEFAULT-VALUE})")
  Path cacheDir;

  @Option(
      names = "--lexical-buckets",
      defaultValue = "0",
      description =
          "category/jailbreak: add hashed word 1-2-gram tf-idf features with this many buckets, 0 = off (default ${DEFAULT-VALUE})")
  int lexicalBuckets;

  @Option(
      names = "--lexical-lr",
      defaultValue = "0.01",
      description = "Adam learning rate of the lexical layer (default ${DEFAULT-VALUE})")
  float lexicalLr;

  @Option(
      names = "--lexical-weight-decay",
      defaultValue = "0",
      description = "(default ${DEFAULT-VALUE})")
  float lexicalWeightDecay;

  @Option(
      names = "--stop-fraction",
      defaultValue = "0",
      description =
          "early stopping on this seeded share of --data instead of --dev, so dev stays a report set (default ${DEFAULT-VALUE})")
  double stopFraction;

  @Option(
      names = "--ensemble",
      defaultValue = "1",
      description =
          "train this many heads with seeds seed, seed+1, ... and average them into one wider MLP (default ${DEFAULT-VALUE})")
  int ensemble;

  @Option(
      names = "--finetune-layers",
      defaultValue = "0",
      description =
          "also fine-tune the encoder's top N layers (1 or 2) before training the head; 0 = head-only over the frozen encoder (default ${DEFAULT-VALUE})")
  int finetuneLayers;

  @Option(
      names = "--finetune-lr",
      defaultValue = "5e-5",
      description =
          "Adam learning rate of the fine-tuned encoder layers (default ${DEFAULT-VALUE})")
  float finetuneLr;

  @Option(
      names = "--finetune-epochs",
      defaultValue = "3",
      description = "maximum encoder fine-tuning epochs (default ${DEFAULT-VALUE})")
  int finetuneEpochs;

  @Option(
      names = "--finetune-patience",
      defaultValue = "1",
      description =
          "fine-tuning epochs without improvement before stopping (default ${DEFAULT-VALUE})")
  int finetunePatience;

  @Option(
      names = "--finetune-batch-size",
      defaultValue = "32",
      description = "texts per fine-tuning step (default ${DEFAULT-VALUE})")
  int finetuneBatchSize;

  @Option(
      names = "--base-encoder",
      defaultValue = "builtin:all-MiniLM-L6-v2",
      description =
          "sequence heads: the built-in encoder the head reads, builtin:all-MiniLM-L6-v2 or"
              + " builtin:bge-small-en-v1.5 (a cascade's second stage; default ${DEFAULT-VALUE})")
  String baseEncoder;

  @Option(
      names = "--ablate-lexical-out",
      description =
          "category/jailbreak: also train the heads without the word n-gram layer on the same encoder features (same fine-tuned layers) and write that model here")
  Path ablateLexicalOut;

  @Option(
      names = "--cv-folds",
      defaultValue = "0",
      description =
          "pii: template-level cross-validation over K folds instead of training one model; --data and "
              + "--dev name the fold files with {fold} (written by 'train prepare --pii-cv-folds K'); reports go to --out (default ${DEFAULT-VALUE})")
  int cvFolds;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "PyTorch intra-op threads (default ${DEFAULT-VALUE})")
  int threads;

  @Option(
      names = "--prices",
      description =
          "outcomes: price table (USD per 1M tokens, e.g. llmrouter_prices.json) for data without cost_usd")
  Path prices;

  @Option(
      names = "--output-tokens",
      defaultValue = "256",
      description = "outcomes: answer tokens assumed with --prices (default ${DEFAULT-VALUE})")
  int outputTokens;

  @Option(
      names = "--dev-fraction",
      defaultValue = "0.15",
      description = "outcomes: share of prompts for dev (tuning) (default ${DEFAULT-VALUE})")
  double devFraction;

  @Option(
      names = "--test-fraction",
      defaultValue = "0.15",
      description = "outcomes: share of prompts held out as test (default ${DEFAULT-VALUE})")
  double testFraction;

  @Option(
      names = "--l2",
      split = ",",
      defaultValue = "0.01,0.03,0.1,0.3,1,3",
      description =
          "outcomes: L2 penalties tried, the best by dev log-loss is kept (default ${DEFAULT-VALUE})")
  double[] l2;

  @Option(names = "--name", description = "outcomes: title of the model card")
  String name;

  @Override
  public Integer call() throws Exception {
    if (task == null || data == null || out == null) {
      System.err.println("train: --task, --data and --out are required (or use 'train prepare')");
      return 2;
    }
    if (task == EvalCommand.Task.outcomes) {
      if (!Files.isRegularFile(data)) {
        System.err.println("train: data file " + data + " does not exist");
        return 2;
      }
      TorchRuntime.configure(threads, 1);
      try {
        OutcomeTraining.run(
            new OutcomeTraining.Settings(
                data,
                prices,
                outputTokens,
                out,
                seed,
                devFraction,
                testFraction,
                maxTokens,
                cacheDir,
                l2,
                300,
                0.05,
                name));
        return 0;
      } catch (DataException | IllegalArgumentException e) {
        System.err.println("train: " + e.getMessage());
        return 2;
      }
    }
    if (task == EvalCommand.Task.routing) {
      System.err.println("train: use --task outcomes to learn routing from outcome data");
      return 2;
    }
    if (cvFolds > 0
        && (task != EvalCommand.Task.pii
            || dev == null
            || !data.toString().contains(TokenHeadTraining.FOLD)
            || !dev.toString().contains(TokenHeadTraining.FOLD))) {
      System.err.println(
          "train: --cv-folds needs --task pii and --data/--dev paths containing "
              + TokenHeadTraining.FOLD);
      return 2;
    }
    for (Path p : dev == null ? new Path[] {data} : new Path[] {data, dev}) {
      for (int k = 0; k < Math.max(1, cvFolds); k++) {
        Path f =
            cvFolds > 0
                ? Path.of(p.toString().replace(TokenHeadTraining.FOLD, Integer.toString(k)))
                : p;
        if (!Files.isRegularFile(f)) {
          System.err.println("train: data file " + f + " does not exist");
          return 2;
        }
      }
    }
    BaseEncoder base;
    try {
      base = BaseEncoder.of(baseEncoder, "--base-encoder");
    } catch (CheckpointFormatException e) {
      System.err.println("train: " + e.getMessage());
      return 2;
    }
    if (base != BaseEncoder.MINILM_L6 && task == EvalCommand.Task.pii) {
      System.err.println("train: --base-encoder " + baseEncoder + " is for sequence heads");
      return 2;
    }
    TorchRuntime.configure(threads, 1);
    HeadTraining.Settings s =
        new HeadTraining.Settings(
            task.name(),
            data,
            dev,
            out,
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
            lexicalBuckets,
            lexicalLr,
            lexicalWeightDecay,
            stopFraction,
            ensemble,
            new FineTuneSettings(
                finetuneLayers, finetuneLr, finetuneEpochs, finetunePatience, finetuneBatchSize),
            base);
    if (finetuneLayers > 2) {
      System.err.println("train: --finetune-layers is 0, 1 or 2");
      return 2;
    }
    try {
      if (task == EvalCommand.Task.pii && cvFolds > 0) {
        TokenHeadTraining.crossValidate(s, cvFolds);
      } else if (task == EvalCommand.Task.pii) {
        TokenHeadTraining.run(s);
      } else {
        HeadTraining.run(s, ablateLexicalOut);
      }
      return 0;
    } catch (DataException e) {
      System.err.println("train: " + e.getMessage());
      return 2;
    }
  }

  /** {@code train prepare --data-dir ../shared/data --out target/data}. */
  @Command(
      name = "prepare",
      mixinStandardHelpOptions = true,
      description =
          "Assemble train/dev/eval JSONL files for category, jailbreak and pii from the shared data folder.")
  public static final class Prepare implements Callable<Integer> {
    @Option(
        names = "--data-dir",
        defaultValue = "../shared/data",
        description = "shared data folder (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(
        names = "--out",
        defaultValue = "target/data",
        description = "output folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(
        names = "--seed",
        defaultValue = "42",
        description = "split seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(
        names = "--no-mmlu",
        description = "category: do not add the MMLU 57-subject questions mapped to the 14 domains")
    boolean noMmlu;

    @Option(
        names = "--category-everyday",
        defaultValue = "" + DatasetAssembler.DEFAULT_EVERYDAY,
        description =
            "category: everyday requests (CLINC150 train split) added as 'other', 0 = none (default ${DEFAULT-VALUE})")
    int everyday;

    @Option(
        names = "--pii-generated",
        defaultValue = "" + DatasetAssembler.DEFAULT_PII_GENERATED,
        description =
            "pii: rows generated from the training templates into pii_train_generated.jsonl (default ${DEFAULT-VALUE})")
    int piiGenerated;

    @Option(
        names = "--jailbreak-benign-generated",
        defaultValue = "0",
        description =
            "jailbreak: benign trigger-word requests generated from templates, added to training only, 0 = none (default ${DEFAULT-VALUE})")
    int jailbreakGenerated;

    @Option(
        names = "--jailbreak-benign-support",
        defaultValue = "0",
        description =
            "jailbreak: benign password/account, editing and assistant-setting requests generated from "
                + "templates plus CLINC150 train-split utterances of 9 such intents, added to training only, 0 = none (default ${DEFAULT-VALUE})")
    int jailbreakSupport;

    @Option(
        names = "--jailbreak-generated-repeat",
        defaultValue = "1",
        description =
            "jailbreak: how often each --jailbreak-benign-generated / --jailbreak-benign-support row is in training (default ${DEFAULT-VALUE})")
    int jailbreakRepeat;

    @Option(
        names = "--jailbreak-clinc-extra",
        defaultValue = "0",
        description =
            "jailbreak: more CLINC150 utterances (never the held-out utility domain) added to training only (default ${DEFAULT-VALUE})")
    int jailbreakClincExtra;

    @Option(
        names = "--jailbreak-hold-out",
        description =
            "jailbreak: keep a whole benign source out of training and dev for a leave-one-source-out figure: awesome")
    List<String> jailbreakHoldOut = new ArrayList<>();

    @Option(
        names = "--pii-cv-folds",
        defaultValue = "0",
        description =
            "pii: also write template-level cross-validation sets pii_cv<i>_train/dev.jsonl over the "
                + "train + dev templates, 0 = none (default ${DEFAULT-VALUE})")
    int piiCvFolds;

    @Option(
        names = "--task-type",
        description =
            "write only the task-type data set (task_type_train/dev/test.jsonl, task_type_mtbench_eval.jsonl)")
    boolean taskType;

    @Option(
        names = "--cache-pairs",
        description =
            "write only the semantic cache's question pairs (cache_pairs.jsonl: near misses made from"
                + " real questions, CLINC150 paraphrases, split dev/test)")
    boolean cachePairs;

    @Override
    public Integer call() {
      if (cachePairs) {
        try {
          new CachePairData(dataDir, seed)
              .write(out)
              .forEach((k, n) -> System.out.printf("%-24s %5d pairs%n", k, n));
          return 0;
        } catch (DataException e) {
          System.err.println("train prepare: " + e.getMessage());
          return 2;
        }
      }
      if (taskType) {
        try {
          new TaskTypeData(dataDir, seed)
              .write(out)
              .forEach((f, n) -> System.out.printf("%-40s %7d rows%n", out.resolve(f), n));
          return 0;
        } catch (DataException e) {
          System.err.println("train prepare: " + e.getMessage());
          return 2;
        }
      }
      try {
        DatasetAssembler assembler =
            new DatasetAssembler(dataDir, seed)
                .jailbreakBenignGenerated(jailbreakGenerated)
                .jailbreakBenignSupport(jailbreakSupport)
                .jailbreakGeneratedRepeat(jailbreakRepeat)
                .jailbreakClincExtra(jailbreakClincExtra);
        jailbreakHoldOut.forEach(assembler::jailbreakHoldOutSource);
        Map<String, Integer> counts =
            new LinkedHashMap<>(assembler.writeAll(out, !noMmlu, everyday, piiGenerated));
        if (piiCvFolds > 0) {
          counts.putAll(assembler.writePiiFolds(out, piiCvFolds, piiGenerated));
        }
        counts.forEach((f, n) -> System.out.printf("%-40s %7d rows%n", out.resolve(f), n));
        return 0;
      } catch (DataException e) {
        System.err.println("train prepare: " + e.getMessage());
        return 2;
      }
    }
  }
}
