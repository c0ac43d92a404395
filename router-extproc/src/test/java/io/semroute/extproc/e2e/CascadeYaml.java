package io.semroute.extproc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The root config's text with and without the jailbreak guard's {@code second_stage} block, so a
 * test can compare the cascade with its first stage alone on the same config.
 */
final class CascadeYaml {
  static final String SECOND_STAGE =
      "    second_stage:\n"
          + "      model: models/jailbreak-stage2\n"
          + "      escalate_threshold: 0.002\n";

  private CascadeYaml() {}

  /** The config as given when it has a second stage, else with the shipped one added. */
  static String withSecondStage(String yaml) {
    if (yaml.contains("    second_stage:")) {
      return yaml;
    }
    String anchor = "    model: models/jailbreak\n";
    assertThat(yaml).contains(anchor);
    return yaml.replace(anchor, anchor + SECOND_STAGE);
  }

  /** The config with the second stage's block (and its comment lines) removed. */
  static String withoutSecondStage(String yaml) {
    StringBuilder out = new StringBuilder();
    boolean inBlock = false;
    for (String line : yaml.split("\n", -1)) {
      if (line.startsWith("    second_stage:")) {
        inBlock = true;
        continue;
      }
      // The block's keys are indented deeper than second_stage; its comment lines may sit anywhere.
      if (inBlock
          && (line.startsWith("      ") || line.isBlank() || line.strip().startsWith("#"))) {
        continue;
      }
      inBlock = false;
      out.append(line).append('\n');
    }
    String s = out.substring(0, out.length() - 1);
    assertThat(s).doesNotContain("\n    second_stage:");
    return s;
  }
}
