package io.semroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DeviceSpecTest {

  @Test
  void parsesTheConfigForms() {
    assertThat(DeviceSpec.parse("CPU").text()).isEqualTo("cpu");
    assertThat(DeviceSpec.parse(" gpu:1 ").text()).isEqualTo("gpu:1");
    assertThat(DeviceSpec.parse(null)).isEqualTo(DeviceSpec.AUTO);
    assertThatThrownBy(() -> DeviceSpec.parse("tpu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tpu");
  }

  @Test
  void autoFallsBackToCpuWithoutCudaAndGpuRequestsAreChecked() {
    int gpus = TorchRuntime.engine().getGpuCount();
    Device auto = DeviceSpec.AUTO.resolve();
    assertThat(auto).isEqualTo(gpus > 0 ? Device.gpu(0) : Device.cpu());
    assertThat(DeviceSpec.CPU.resolve()).isEqualTo(Device.cpu());
    assertThatThrownBy(() -> DeviceSpec.parse("gpu:" + gpus).resolve())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GPU");
  }
}
