package io.semroute.tools.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.weights.SafetensorsFile;
import io.semroute.classifier.weights.ShardedSafetensors;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
  @TempDir Path tmp;

  private static float[] floats(ByteBuffer b) {
    float[] f = new float[b.remaining() / 4];
    b.asFloatBuffer().get(f);
    return f;
  }

  @Test
  void readsF32F16AndBf16AsFloat32() throws Exception {
    Path f = tmp.resolve("model.safetensors");
    new SafetensorsWriter()
        .put("a", new float[] {1.5f, -2.25f, 3e-8f, 1e20f, 0f, -0f}, 2, 3)
        .putBfloat16("b", new float[] {1.5f, -2.25f, 65536f, 0.15625f}, 4)
        // 1.0, -2.0, 65504 (max half), 2^-24 (smallest subnormal), +inf, 0.333 (0x3555)
        .putFloat16Bits(
            "c", new short[] {0x3c00, (short) 0xc000, 0x7bff, 0x0001, 0x7c00, 0x3555}, 6)
        .write(f);
    try (SafetensorsFile st = SafetensorsFile.open(f)) {
      assertThat(st.names()).containsExactlyInAnyOrder("a", "b", "c");
      assertThat(st.shape("a")).containsExactly(2, 3);
      assertThat(st.dtype("b")).isEqualTo("BF16");
      assertThat(floats(st.readFloat32("a"))).containsExactly(1.5f, -2.25f, 3e-8f, 1e20f, 0f, -0f);
      assertThat(floats(st.readFloat32("b"))).containsExactly(1.5f, -2.25f, 65536f, 0.15625f);
      float[] c = floats(st.readFloat32("c"));
      assertThat(c[0]).isEqualTo(1f);
      assertThat(c[1]).isEqualTo(-2f);
      assertThat(c[2]).isEqualTo(65504f);
      assertThat(c[3]).isEqualTo((float) Math.pow(2, -24));
      assertThat(c[4]).isEqualTo(Float.POSITIVE_INFINITY);
      assertThat(c[5]).isEqualTo(0.33325195f);
    }
  }

  @Test
  void shardedIndexJoinsShards() throws Exception {
    new SafetensorsWriter()
        .put("x", new float[] {1, 2}, 2)
        .write(tmp.resolve("model-00001-of-00002.safetensors"));
    new SafetensorsWriter()
        .put("y", new float[] {3, 4, 5}, 3)
        .write(tmp.resolve("model-00002-of-00002.safetensors"));
    Files.writeString(
        tmp.resolve("model.safetensors.index.json"),
        "{\"metadata\":{\"total_size\":20},\"weight_map\":{\"x\":\"model-00001-of-00002.safetensors\",\"y\":\"model-00002-of-00002.safetensors\"}}");
    try (ShardedSafetensors s =
        ShardedSafetensors.open(tmp.resolve("model.safetensors.index.json"))) {
      assertThat(s.names()).containsExactlyInAnyOrder("x", "y");
      assertThat(floats(s.readFloat32("y"))).containsExactly(3f, 4f, 5f);
    }
  }

  @Test
  void missingShardIsNamed() throws Exception {
    new SafetensorsWriter().put("x", new float[] {1, 2}, 2).write(tmp.resolve("a.safetensors"));
    Files.writeString(
        tmp.resolve("model.safetensors.index.json"),
        "{\"weight_map\":{\"x\":\"a.safetensors\",\"y\":\"b.safetensors\"}}");
    assertThatThrownBy(() -> ShardedSafetensors.open(tmp.resolve("model.safetensors.index.json")))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("b.safetensors")
        .hasMessageContaining("missing");
  }

  @Test
  void truncatedFileIsRejectedWithItsName() throws Exception {
    Path f = tmp.resolve("model.safetensors");
    new SafetensorsWriter().put("x", new float[] {1, 2, 3, 4}, 4).write(f);
    byte[] all = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(all, all.length - 4));
    assertThatThrownBy(() -> SafetensorsFile.open(f))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("'x'");
  }

  @Test
  void garbageHeaderIsRejected() throws Exception {
    Path f = tmp.resolve("model.safetensors");
    Files.write(
        f, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 1, 2, 3});
    assertThatThrownBy(() -> SafetensorsFile.open(f))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("header");
  }
}
