package io.semroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading rules for model directories: label files, sharding, and errors that name the file. */
class ClassifierRegistryTest {
  private static final LoadOptions CPU = LoadOptions.DEFAULT.withDevice(DeviceSpec.CPU);
  @TempDir Path tmp;

  private Path copyOfGolden(String name) throws IOException {
    Path src = Fixtures.golden("modernbert/" + name);
    Path dst = tmp.resolve(name);
    Files.createDirectories(dst);
    for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
      Files.copy(src.resolve(f), dst.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      dst.resolve(f).toFile().setWritable(true);
    }
    return dst;
  }

  @Test
  void referenceRouterCategoryMappingNamesTheLabels() throws Exception {
    Path d = copyOfGolden("seq-cls-cls");
    Files.writeString(
        d.resolve("category_mapping.json"),
        "{\"category_to_idx\":{\"math\":0,\"law\":1,\"other\":2},\"idx_to_category\":{\"0\":\"math\",\"1\":\"law\",\"2\":\"other\"}}");
    try (SequenceClassifier c = ClassifierRegistry.openSequence(d, CPU)) {
      assertThat(c.labels().labels()).containsExactly("math", "law", "other");
      SequenceClassification r = c.classify("t5 t6 t7");
      assertThat(r.scores().keySet()).containsExactly("math", "law", "other");
    }
  }

  @Test
  void labelFileWithWrongCountIsNamed() throws Exception {
    Path d = copyOfGolden("token-cls");
    Files.writeString(
        d.resolve("pii_type_mapping.json"),
        "{\"label_to_idx\":{\"O\":0,\"B-PERSON\":1},\"idx_to_label\":{\"0\":\"O\",\"1\":\"B-PERSON\"}}");
    assertThatThrownBy(() -> ClassifierRegistry.openToken(d, CPU))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("pii_type_mapping.json")
        .hasMessageContaining("2 labels")
        .hasMessageContaining("7 outputs");
  }

  @Test
  void eachMissingFileIsNamed() throws Exception {
    for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
      Path d = copyOfGolden("seq-cls-mean");
      Files.delete(d.resolve(f));
      assertThatThrownBy(() -> ClassifierRegistry.openSequence(d, CPU))
          .as(f)
          .isInstanceOf(CheckpointFormatException.class)
          .hasMessageContaining(f);
      deleteTree(d);
    }
  }

  @Test
  void missingTensorIsNamed() throws Exception {
    Path d = copyOfGolden("seq-cls-mean");
    // A config claiming one more layer than the checkpoint has.
    String cfg =
        Files.readString(d.resolve("config.json"))
            .replace("\"num_hidden_layers\": 4", "\"num_hidden_layers\": 5");
    Files.writeString(d.resolve("config.json"), cfg);
    assertThatThrownBy(() -> ClassifierRegistry.openSequence(d, CPU))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("model.layers.4.");
  }

  @Test
  void shapeMismatchIsNamed() throws Exception {
    Path d = copyOfGolden("seq-cls-mean");
    String cfg =
        Files.readString(d.resolve("config.json"))
            .replace("\"intermediate_size\": 96", "\"intermediate_size\": 128");
    Files.writeString(d.resolve("config.json"), cfg);
    assertThatThrownBy(() -> ClassifierRegistry.openSequence(d, CPU))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("mlp.Wi.weight")
        .hasMessageContaining("[192, 64]");
  }

  @Test
  void unsupportedArchitectureIsNamed() throws Exception {
    Path d = copyOfGolden("seq-cls-mean");
    String cfg =
        Files.readString(d.resolve("config.json"))
            .replace("ModernBertForSequenceClassification", "GPT2LMHeadModel");
    Files.writeString(d.resolve("config.json"), cfg);
    assertThatThrownBy(() -> ClassifierRegistry.openSequence(d, CPU))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("config.json")
        .hasMessageContaining("GPT2LMHeadModel");
  }

  @Test
  void tokenClassifierDirectoryIsNotASequenceClassifier() throws Exception {
    Path d = copyOfGolden("token-cls");
    assertThatThrownBy(() -> ClassifierRegistry.openSequence(d, CPU))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("not a sequence classifier");
  }

  private static void deleteTree(Path d) throws IOException {
    try (var s = Files.walk(d)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
