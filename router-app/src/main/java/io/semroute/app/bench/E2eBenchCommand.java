package io.semroute.app.bench;

import io.semroute.config.ConfigException;
import io.semroute.config.RateLimitSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code router.jar bench-e2e}: the end-to-end benchmark (docs/performance.md). */
@Command(
    name = "bench-e2e",
    mixinStandardHelpOptions = true,
    description = {
      "End-to-end benchmark (prints Markdown tables; not a test). Starts the router",
      "in this process on a free port and drives it over real ext_proc gRPC as Envoy",
      "does, with closed-loop callers at each concurrency: requests per second,",
      "p50/p99 latency, errors and resident memory for keyword rules only (no",
      "models), the config with model auto, an explicit model, and auto with",
      "~500-token prompts, all in one run."
    })
public final class E2eBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      defaultValue = "config.yaml",
      description = "the router config of the model variants (default: ${DEFAULT-VALUE})")
  Path config;

  @Option(
      names = "--models-off-config",
      defaultValue = "auto",
      description =
          "config of the models-off variant: a file, 'derive' (the config without "
              + "models, guards, signals, decisions, examples and cache), or 'auto': "
              + "docs/config-keywords-only.yaml beside --config when it exists, else derive "
              + "(default: ${DEFAULT-VALUE})")
  String modelsOffConfig;

  @Option(
      names = "--explicit-model",
      description =
          "model of the explicit-model variant (default: llama-3.1-8b-instruct when "
              + "the config has it, else its default_model)")
  String explicitModel;

  @Option(
      names = "--variants",
      split = ",",
      defaultValue = "off,auto,explicit,long",
      description = "which variants: off, auto, explicit, long (default: ${DEFAULT-VALUE})")
  List<String> variants;

  @Option(
      names = "--concurrency",
      split = ",",
      defaultValue = "1,8,32,64",
      description = "concurrent callers per level, short prompts (default: ${DEFAULT-VALUE})")
  List<Integer> concurrency;

  @Option(
      names = "--long-concurrency",
      split = ",",
      defaultValue = "1",
      description = "concurrent callers per level, long prompts (default: ${DEFAULT-VALUE})")
  List<Integer> longConcurrency;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "5",
      description = "warm-up per level, not measured (default: ${DEFAULT-VALUE})")
  double warmupSeconds;

  @Option(
      names = "--seconds",
      defaultValue = "15",
      description = "measuring window per level (default: ${DEFAULT-VALUE})")
  double seconds;

  @Option(
      names = "--data-dir",
      description =
          "the shared data folder (../shared/data): prompts from MMLU-Pro, CLINC150, "
              + "MT-Bench and GSM8K; without it a small built-in list")
  Path dataDir;

  @Option(
      names = "--prompts",
      defaultValue = "600",
      description = "number of short prompts (default: ${DEFAULT-VALUE})")
  int shortPrompts;

  @Option(
      names = "--long-prompts",
      defaultValue = "50",
      description = "number of long prompts (default: ${DEFAULT-VALUE})")
  int longPrompts;

  @Option(
      names = "--long-tokens",
      defaultValue = "500",
      description = "minimum tokens of a long prompt (default: ${DEFAULT-VALUE})")
  int longTokens;

  @Option(
      names = "--seed",
      defaultValue = "13",
      description = "prompt sampling seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--cache",
      defaultValue = "keep",
      description =
          "semantic cache of the config: 'keep' (requests carry no tenant header, so it "
              + "neither looks up nor stores) or 'off' (default: ${DEFAULT-VALUE})")
  String cache;

  @Option(
      names = "--decision-log",
      defaultValue = "discard",
      description =
          "the per-request decision log: discard (built, then dropped), stdout, off "
              + "(default: ${DEFAULT-VALUE})")
  String decisionLog;

  @Option(
      names = "--message-timeout-ms",
      defaultValue = "10000",
      description =
          "per ext_proc message, as envoy.yaml's message_timeout (default: ${DEFAULT-VALUE})")
  long messageTimeoutMs;

  @Option(
      names = "--rate-limits",
      defaultValue = "off",
      description =
          "per-tenant rate limits on every request, with budgets never reached (the cost of"
              + " admission and settlement): off, memory, or redis=HOST:PORT"
              + " (default: ${DEFAULT-VALUE})")
  String rateLimits;

  @Override
  public Integer call() throws Exception {
    Set<EndToEndBench.Variant> chosen = EnumSet.noneOf(EndToEndBench.Variant.class);
    EndToEndBench.DecisionLog log;
    try {
      for (String v : variants) {
        chosen.add(EndToEndBench.Variant.valueOf(v.trim().toUpperCase(Locale.ROOT)));
      }
      log = EndToEndBench.DecisionLog.valueOf(decisionLog.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      System.err.println(
          "bench-e2e: --variants takes off, auto, explicit, long; --decision-log "
              + "takes discard, stdout, off");
      return 2;
    }
    RateLimitSettings limits;
    if (rateLimits.equals("off")) {
      limits = RateLimitSettings.OFF;
    } else if (rateLimits.equals("memory")) {
      limits = EndToEndBench.benchRateLimits(null);
    } else if (rateLimits.startsWith("redis=") && rateLimits.lastIndexOf(':') > 6) {
      try {
        limits = EndToEndBench.benchRateLimits(rateLimits.substring("redis=".length()));
      } catch (IllegalArgumentException e) {
        System.err.println("bench-e2e: --rate-limits redis=HOST:PORT: " + e.getMessage());
        return 2;
      }
    } else {
      System.err.println("bench-e2e: --rate-limits takes off, memory or redis=HOST:PORT");
      return 2;
    }
    if (!cache.equals("keep") && !cache.equals("off")) {
      System.err.println("bench-e2e: --cache takes keep or off");
      return 2;
    }
    if (!Files.isRegularFile(config)) {
      System.err.println(
          "bench-e2e: no config file "
              + config.toAbsolutePath()
              + " (run from the repository root, or pass --config)");
      return 2;
    }
    if (dataDir != null && !Files.isDirectory(dataDir)) {
      System.err.println("bench-e2e: --data-dir " + dataDir + " is not a folder");
      return 2;
    }
    Path offConfig =
        switch (modelsOffConfig) {
          case "derive" -> null;
          case "auto" -> {
            Path beside =
                config.toAbsolutePath().getParent().resolve("docs/config-keywords-only.yaml");
            yield Files.isRegularFile(beside) ? beside : null;
          }
          default -> Path.of(modelsOffConfig);
        };
    EndToEndBench.Settings settings =
        new EndToEndBench.Settings(
            config,
            offConfig,
            explicitModel,
            chosen,
            concurrency,
            longConcurrency,
            Duration.ofMillis((long) (warmupSeconds * 1000)),
            Duration.ofMillis((long) (seconds * 1000)),
            dataDir,
            shortPrompts,
            longPrompts,
            longTokens,
            seed,
            cache.equals("off"),
            log,
            Duration.ofMillis(messageTimeoutMs),
            limits);
    try {
      new EndToEndBench(settings, spec.commandLine().getOut()).run();
    } catch (ConfigException e) {
      System.err.println("bench-e2e: invalid config: " + e.getMessage());
      return 2;
    }
    return 0;
  }
}
