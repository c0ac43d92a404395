package io.semroute.classifier;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * {@code device: auto | cpu | gpu:N} from configuration. {@code auto} takes CUDA when the engine
 * sees a GPU and the CPU otherwise, so one config works on both kinds of machine.
 */
public record DeviceSpec(String text) {

  public static final DeviceSpec AUTO = new DeviceSpec("auto");
  public static final DeviceSpec CPU = new DeviceSpec("cpu");

  public DeviceSpec {
    text = text == null ? "auto" : text.trim().toLowerCase(Locale.ROOT);
    if (!text.equals("auto") && !text.equals("cpu") && !text.matches("(gpu|cuda)(:\\d+)?")) {
      throw new IllegalArgumentException("device must be auto, cpu or gpu:N, got '" + text + "'");
    }
  }

  public static DeviceSpec parse(String text) {
    return new DeviceSpec(text);
  }

  /** Resolves against the loaded engine; gpu:N on a machine without that GPU is an error. */
  public Device resolve() {
    Engine engine = TorchRuntime.engine();
    if (text.equals("auto")) {
      return engine.getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
    }
    if (text.equals("cpu")) {
      return Device.cpu();
    }
    int id = text.contains(":") ? Integer.parseInt(text.substring(text.indexOf(':') + 1)) : 0;
    if (id >= engine.getGpuCount()) {
      throw new IllegalArgumentException(
          "device "
              + text
              + " requested but the PyTorch engine sees "
              + engine.getGpuCount()
              + " GPU(s)");
    }
    return Device.gpu(id);
  }
}
