package io.semroute.extproc.classifiers;

import io.semroute.classifier.DeviceSpec;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.classifier.outcome.OutcomeModel;
import io.semroute.classifier.registry.ClassifierRegistry;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/**
 * Opens a {@link ClassifierKey} from disk (either folder layout) and connects it to its encoder
 * passes: every head over the built-in encoder joins one shared pass ({@link EncoderPasses}), so a
 * request's text is encoded once for domain, guards, signals and cache; a head on another encoder
 * gets a micro-batcher of its own. The one place that calls the {@code io.semroute.classifier}
 * loaders.
 */
public final class ClassifierOpener implements Function<ClassifierKey, LoadedClassifier> {
  private final BatchPolicy policy;
  private final EncoderPasses passes;

  /**
   * @param policy batching, queue bound and per-request deadline for every classifier
   */
  public ClassifierOpener(BatchPolicy policy) {
    this.policy = policy;
    this.passes = new EncoderPasses(policy);
  }

  /**
   * Default batching, queue bound and deadline ({@code serve}), tuned on this project's 2-core
   * boxes (docs/performance.md, "Issue 13"):
   *
   * <ul>
   *   <li>one batch worker per core: libtorch runs each batch on one thread (two threads on small
   *       matrices cost more in OpenMP hand-offs than they save), so under load two batches at once
   *       are what puts the second core to work; a lone request still runs alone at once. Measured
   *       with bench-e2e, auto at concurrency 32: 41 req/s with one worker, 73-85 with two.
   *   <li>batches of at most 8: the encoder is compute-bound, so a batch of 32 64-token texts runs
   *       only 7 % more texts per second than a batch of 8 (`bench`), while its attention scores
   *       and activations are four times larger; with two workers, batches of 32 left the process
   *       at 1.7 GiB resident after the load run, batches of 8 at 1.2 GiB.
   * </ul>
   */
  public static ClassifierOpener withDefaultBatching() {
    return new ClassifierOpener(
        BatchPolicy.defaults()
            .withWorkers(Runtime.getRuntime().availableProcessors())
            .withMaxBatchSize(8));
  }

  /** The shared encoder passes of the classifiers this opener opened. */
  EncoderPasses passes() {
    return passes;
  }

  @Override
  public LoadedClassifier apply(ClassifierKey key) {
    LoadOptions options =
        LoadOptions.DEFAULT
            .withDevice(DeviceSpec.parse(key.device()))
            .withMaxTokens(key.maxTokens());
    String name = batcherName(key);
    return switch (key.kind()) {
      case SEQUENCE ->
          new LoadedSequenceClassifier(
              name, ClassifierRegistry.openSequence(key.dir(), options), passes);
      case PII ->
          new LoadedPiiDetector(
              name, ClassifierRegistry.openPii(key.dir(), options), policy, passes);
      case EMBEDDER ->
          new LoadedEmbedder(name, ClassifierRegistry.sharedBuiltinEmbedder(options), passes);
      case OUTCOMES ->
          new LoadedOutcomeModel(
              name,
              OutcomeModel.open(
                  key.dir(), LoadOptions.DEFAULT.withDevice(DeviceSpec.parse(key.device())), true),
              passes);
    };
  }

  private static String batcherName(ClassifierKey key) {
    Path dir = key.dir();
    String kind = key.kind().name().toLowerCase(Locale.ROOT);
    return dir == null || dir.getFileName() == null ? kind : kind + "-" + dir.getFileName();
  }
}
