package io.semroute.classifier.cli;

import io.semroute.classifier.data.DataException;
import io.semroute.classifier.data.DatasetAssembler;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train ...}: model training; {@code train prepare} assembles the data sets first. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train classifiers; 'train prepare' writes the assembled data sets.",
    subcommands = TrainCommand.Prepare.class)
public final class TrainCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.err.println("train: training arrives with the classifier engine; use 'train prepare' to build the data sets");
    return 2;
  }

  /** {@code train prepare --data-dir ../shared/data --out target/data}. */
  @Command(name = "prepare", mixinStandardHelpOptions = true,
      description = "Assemble train/dev/eval JSONL files for category, jailbreak and pii from the shared data folder.")
  public static final class Prepare implements Callable<Integer> {
    @Option(names = "--data-dir", defaultValue = "../shared/data", description = "shared data folder (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--out", defaultValue = "target/data", description = "output folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "split seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--no-mmlu", description = "category: do not add the MMLU 57-subject questions mapped to the 14 domains")
    boolean noMmlu;

    @Override
    public Integer call() {
      try {
        Map<String, Integer> counts = new DatasetAssembler(dataDir, seed).writeAll(out, !noMmlu);
        counts.forEach((f, n) -> System.out.printf("%-40s %7d rows%n", out.resolve(f), n));
        return 0;
      } catch (DataException e) {
        System.err.println("train prepare: " + e.getMessage());
        return 2;
      }
    }
  }
}
