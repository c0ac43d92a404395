package io.semroute.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example in docs/configuration.md must stay a valid config. */
class DocumentedConfigExampleTest {
  @Test
  void documentedExampleLoads() throws Exception {
    Path doc = Fixtures.repo("docs/configuration.md");
    String text = Files.readString(doc);
    int section = text.indexOf("\n## Example\n");
    assertThat(section).as("the Example section").isGreaterThanOrEqualTo(0);
    int start = text.indexOf("```yaml\n", section);
    assertThat(start).as("a yaml block in the section").isGreaterThan(section);
    int end = text.indexOf("```", start + 8);
    String yaml = text.substring(start + 8, end);

    RouterConfig c = ConfigLoader.parse(yaml, doc);
    assertThat(c.defaultModel()).isEqualTo("llama-3.1-8b-instruct");
    assertThat(c.category("math").orElseThrow().bestModel())
        .isEqualTo(new ModelScore("qwen3-8b", 1.0, true, "high"));
    assertThat(c.category("math").orElseThrow().keywords().get(0).matches("Integrate sin(t) dt"))
        .isFalse();
    assertThat(
            c.category("math").orElseThrow().keywords().get(0).matches("the derivative of x ^ 3"))
        .isTrue();
    assertThat(c.backendsFor("llama-3.1-8b-instruct").get(0).weight()).isEqualTo(2);
  }
}
