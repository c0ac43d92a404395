package io.semroute.tools.cli;

import io.semroute.classifier.DeviceSpec;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.TorchRuntime;
import picocli.CommandLine.Option;

/** Options shared by the classifier commands: device, threads, token budget. */
final class EngineOptions {
  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto | cpu | gpu:N (default: ${DEFAULT-VALUE})")
  String device;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description =
          "libtorch intra-op threads; 1 is fastest for single requests on small CPUs (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(
      names = "--max-tokens",
      defaultValue = "0",
      description =
          "longest input kept (head + tail truncation); 0 = the model's max_position_embeddings")
  int maxTokens;

  LoadOptions apply() {
    TorchRuntime.configure(threads, 1);
    return LoadOptions.DEFAULT.withDevice(DeviceSpec.parse(device)).withMaxTokens(maxTokens);
  }
}
