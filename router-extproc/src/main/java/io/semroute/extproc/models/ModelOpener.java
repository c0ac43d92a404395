package io.semroute.extproc.models;

import io.semroute.classifier.DeviceSpec;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.classifier.registry.ClassifierRegistry;
import java.nio.file.Path;
import java.util.function.Function;

/** Opens a {@link ModelKey} from disk (either folder layout) and starts its micro-batcher. */
public final class ModelOpener implements Function<ModelKey, RunningModel> {
  private final BatchPolicy policy;

  /** @param policy batching, queue bound and per-request deadline for every model */
  public ModelOpener(BatchPolicy policy) {
    this.policy = policy;
  }

  @Override
  public RunningModel apply(ModelKey key) {
    LoadOptions options =
        LoadOptions.DEFAULT.withDevice(DeviceSpec.parse(key.device())).withMaxTokens(key.maxTokens());
    String name = batcherName(key);
    return switch (key.kind()) {
      case SEQUENCE -> new SequenceModel(name, ClassifierRegistry.openSequence(key.dir(), options), policy);
      case PII -> new PiiModel(name, ClassifierRegistry.openPii(key.dir(), options), policy);
      case EMBEDDER -> new EmbedderModel(name, ClassifierRegistry.builtinEmbedder(options), policy);
    };
  }

  private static String batcherName(ModelKey key) {
    Path dir = key.dir();
    String kind = key.kind().name().toLowerCase(java.util.Locale.ROOT);
    return dir == null || dir.getFileName() == null ? kind : kind + "-" + dir.getFileName();
  }
}
