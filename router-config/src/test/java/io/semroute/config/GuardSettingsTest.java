package io.semroute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** classifier.jailbreak / classifier.pii actions and models.*.pii_policy: values and errors. */
class GuardSettingsTest {
  @TempDir Path dir;

  /** Line numbers: models.big.pii_policy is line 5, the classifier block starts on line 9. */
  static final String BASE =
      """
      default_model: small
      models:
        small:
        big:
          pii_policy: POLICY
      backends:
        - {name: b, address: b:8000, models: [small, big]}
      classifier:
        jailbreak: JAILBREAK
        pii: PII
      """;

  @BeforeEach
  void folders() throws Exception {
    for (String name : new String[] {"jb", "pii"}) {
      Files.createDirectories(dir.resolve(name));
      Files.writeString(dir.resolve(name).resolve("config.json"), "{}");
    }
  }

  private RouterConfig load(String policy, String jailbreak, String pii) throws Exception {
    Path file = dir.resolve("router.yaml");
    Files.writeString(
        file, BASE.replace("POLICY", policy).replace("JAILBREAK", jailbreak).replace("PII", pii));
    return ConfigLoader.load(file);
  }

  private String error(String policy, String jailbreak, String pii) {
    try {
      load(policy, jailbreak, pii);
    } catch (ConfigException e) {
      return e.getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void defaultsAreBlockWithACompletionAndRefuseOnError() throws Exception {
    RouterConfig c = load("{}", "{model: jb}", "{}");
    JailbreakGuardSettings jb = c.classifier().jailbreak();
    assertThat(jb.action()).isEqualTo(GuardAction.BLOCK);
    assertThat(jb.blockOnError()).isTrue();
    assertThat(jb.response()).isEqualTo(BlockResponse.COMPLETION);
    assertThat(c.classifier().pii().action()).isEqualTo(GuardAction.BLOCK);
    assertThat(c.classifier().pii().response()).isEqualTo(BlockResponse.COMPLETION);
    assertThat(c.model("big").orElseThrow().piiPolicy()).isEqualTo(PiiPolicy.ALLOW_ALL);
    assertThat(c.model("small").orElseThrow().piiPolicy().allows("PERSON")).isTrue();
    assertThat(c.classifier().pii().minScore("PERSON")).isEqualTo(0.9);
    assertThat(c.classifier().pii().minScore("AGE")).isEqualTo(PiiSettings.DEFAULT_MIN_SCORE);
  }

  @Test
  void everyKeyIsRead() throws Exception {
    RouterConfig c =
        load(
            "{allow_by_default: false, pii_types_allowed: [EMAIL_ADDRESS, URL]}",
            "{model: jb, threshold: 0.7, action: flag, on_error: allow, response: error}",
            "{model: pii, action: redact, response: error, min_scores: {PERSON: 0.97}}");
    JailbreakGuardSettings jb = c.classifier().jailbreak();
    assertThat(jb.threshold()).isEqualTo(0.7);
    assertThat(jb.action()).isEqualTo(GuardAction.FLAG);
    assertThat(jb.blockOnError()).isFalse();
    assertThat(jb.response()).isEqualTo(BlockResponse.ERROR);
    PiiSettings pii = c.classifier().pii();
    assertThat(pii.action()).isEqualTo(GuardAction.REDACT);
    assertThat(pii.response()).isEqualTo(BlockResponse.ERROR);
    assertThat(pii.minScore("PERSON")).isEqualTo(0.97);
    PiiPolicy policy = c.model("big").orElseThrow().piiPolicy();
    assertThat(policy).isEqualTo(new PiiPolicy(false, Set.of("EMAIL_ADDRESS", "URL")));
    assertThat(policy.allows("EMAIL_ADDRESS")).isTrue();
    assertThat(policy.allows("PERSON")).isFalse();
  }

  @Test
  void settingsThatCannotWorkAreErrorsWithFileLineKey() {
    assertThat(error("{}", "{model: jb, action: redact}", "{}"))
        .contains("router.yaml:9: classifier.jailbreak.action: invalid value 'redact'")
        .contains("valid values: block, flag");
    assertThat(error("{}", "{model: jb, on_error: ignore}", "{}"))
        .contains("router.yaml:9: classifier.jailbreak.on_error: invalid value 'ignore'");
    assertThat(error("{}", "{model: jb, response: json}", "{}"))
        .contains("router.yaml:9: classifier.jailbreak.response: invalid value 'json'");
    assertThat(error("{}", "{model: jb, threshold: 0}", "{}"))
        .contains("router.yaml:9: classifier.jailbreak.threshold: 0 would refuse every request");
    assertThat(error("{}", "{model: jb, threshold: 1.5}", "{}"))
        .contains("router.yaml:9: classifier.jailbreak.threshold: must be between 0 and 1");
    assertThat(error("{}", "{model: jb, actoin: block}", "{}"))
        .contains(
            "router.yaml:9: classifier.jailbreak.actoin: unknown key 'actoin'; did you mean 'action'?");
    assertThat(error("{}", "{model: jb}", "{action: flag}"))
        .contains("router.yaml:10: classifier.pii.action: invalid value 'flag'")
        .contains("valid values: block, redact");
    assertThat(error("{}", "{model: jb}", "{min_scores: {PERSN: 0.9}}"))
        .contains(
            "router.yaml:10: classifier.pii.min_scores.PERSN: unknown PII type 'PERSN'; did you mean 'PERSON'?");
    assertThat(error("{}", "{model: jb}", "{min_scores: {PERSON: 2}}"))
        .contains("router.yaml:10: classifier.pii.min_scores.PERSON: must be between 0 and 1");
    assertThat(error("{allow_by_default: false, pii_types_allowed: [EMAIL]}", "{model: jb}", "{}"))
        .contains(
            "router.yaml:5: models.big.pii_policy.pii_types_allowed[0]: unknown PII type 'EMAIL'");
    assertThat(error("{pii_types_allowed: [EMAIL_ADDRESS]}", "{model: jb}", "{}"))
        .contains(
            "router.yaml:5: models.big.pii_policy.pii_types_allowed: has no effect with allow_by_default: true");
    assertThat(error("{allow_by_default: no_thanks}", "{model: jb}", "{}"))
        .contains("router.yaml:5: models.big.pii_policy.allow_by_default: expected true or false");
    assertThat(error("{allow_by_default: false, types: [PERSON]}", "{model: jb}", "{}"))
        .contains("router.yaml:5: models.big.pii_policy.types: unknown key 'types'");
    assertThat(error("{allow_by_default: false}", "{model: jb}", "{enabled: false}"))
        .contains(
            "router.yaml:5: models.big.pii_policy: restricts PII types, but the PII scan is off");
  }

  @Test
  void blockAndFlagThresholds() throws Exception {
    JailbreakGuardSettings both =
        load("{}", "{model: jb, block_threshold: 0.9, flag_threshold: 0.4}", "{}")
            .classifier()
            .jailbreak();
    assertThat(both.threshold()).isEqualTo(0.9);
    assertThat(both.flagThreshold()).isEqualTo(0.4);
    // The older key is the block threshold; without flag_threshold there is no flag band.
    JailbreakGuardSettings old =
        load("{}", "{model: jb, threshold: 0.7}", "{}").classifier().jailbreak();
    assertThat(old.threshold()).isEqualTo(0.7);
    assertThat(old.flagThreshold()).isEqualTo(0.7);
    JailbreakGuardSettings dflt = load("{}", "{model: jb}", "{}").classifier().jailbreak();
    assertThat(dflt.threshold()).isEqualTo(JailbreakGuardSettings.DEFAULT_THRESHOLD);
    assertThat(dflt.flagThreshold()).isEqualTo(JailbreakGuardSettings.DEFAULT_THRESHOLD);
    assertThat(
            load("{}", "{model: jb, threshold: 0.8, flag_threshold: 0.3}", "{}")
                .classifier()
                .jailbreak()
                .flagThreshold())
        .isEqualTo(0.3);
  }

  @Test
  void thresholdMistakesAreErrorsWithFileLineKey() {
    assertThat(error("{}", "{model: jb, threshold: 0.5, block_threshold: 0.9}", "{}"))
        .contains(
            "router.yaml:9: classifier.jailbreak.threshold: is the older name of block_threshold;"
                + " set only one of them");
    assertThat(error("{}", "{model: jb, block_threshold: 0.6, flag_threshold: 0.8}", "{}"))
        .contains("router.yaml:9: classifier.jailbreak.flag_threshold: must not be above")
        .contains("block_threshold (0.6)");
    assertThat(error("{}", "{model: jb, flag_threshold: 0.7}", "{}"))
        .contains("router.yaml:9: classifier.jailbreak.flag_threshold: must not be above");
    assertThat(error("{}", "{model: jb, block_threshold: 0}", "{}"))
        .contains(
            "router.yaml:9: classifier.jailbreak.block_threshold: 0 would refuse every request");
    assertThat(error("{}", "{model: jb, flag_threshold: 0}", "{}"))
        .contains("router.yaml:9: classifier.jailbreak.flag_threshold: 0 would flag every request");
    assertThat(error("{}", "{model: jb, flag_threshold: -0.1}", "{}"))
        .contains("router.yaml:9: classifier.jailbreak.flag_threshold: must be between 0 and 1");
    assertThat(error("{}", "{model: jb, flag_treshold: 0.3}", "{}"))
        .contains("router.yaml:9: classifier.jailbreak.flag_treshold: unknown key 'flag_treshold'")
        .contains("did you mean 'flag_threshold'?");
  }

  @Test
  void aSecondStageTakesAModelAndAnEscalateThreshold() throws Exception {
    JailbreakGuardSettings cascade =
        load(
                "{}",
                "{model: jb, block_threshold: 0.9, flag_threshold: 0.5,"
                    + " second_stage: {model: pii, escalate_threshold: 0.05}}",
                "{}")
            .classifier()
            .jailbreak();
    assertThat(cascade.secondStage().model().dir().getFileName().toString()).isEqualTo("pii");
    assertThat(cascade.secondStage().escalateThreshold()).isEqualTo(0.05);
    assertThat(load("{}", "{model: jb}", "{}").classifier().jailbreak().secondStage()).isNull();
  }

  @Test
  void secondStageMistakesAreErrorsWithFileLineKey() {
    assertThat(error("{}", "{model: jb, second_stage: {escalate_threshold: 0.1}}", "{}"))
        .contains("router.yaml:9: classifier.jailbreak.second_stage.model: required");
    assertThat(error("{}", "{model: jb, second_stage: {model: pii}}", "{}"))
        .contains("router.yaml:9: classifier.jailbreak.second_stage.escalate_threshold: required");
    assertThat(
            error(
                "{}",
                "{model: jb, flag_threshold: 0.3, second_stage: {model: pii, escalate_threshold: 0.4}}",
                "{}"))
        .contains("classifier.jailbreak.second_stage.escalate_threshold: must not be above")
        .contains("flag_threshold (0.3)");
    assertThat(error("{}", "{model: jb, second_stage: {model: pii, escalate_threshold: 0}}", "{}"))
        .contains("second_stage.escalate_threshold: 0 would send every turn");
    assertThat(
            error(
                "{}", "{model: jb, second_stage: {model: nowhere, escalate_threshold: 0.1}}", "{}"))
        .contains("router.yaml:9: classifier.jailbreak.second_stage.model:");
    assertThat(error("{}", "{model: jb, second_stage: {model: pii, escalate: 0.1}}", "{}"))
        .contains("classifier.jailbreak.second_stage.escalate: unknown key 'escalate'");
  }

  @Test
  void theRootConfigIsAWorkingExample() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize().resolve("config.yaml");
    RouterConfig c = ConfigLoader.load(root);
    assertThat(c.classifier().jailbreak().active()).isTrue();
    assertThat(c.classifier().jailbreak().action()).isEqualTo(GuardAction.BLOCK);
    assertThat(c.classifier().jailbreak().response()).isEqualTo(BlockResponse.COMPLETION);
    assertThat(c.models().values()).anyMatch(m -> !m.piiPolicy().allowByDefault());
    assertThatThrownBy(() -> PiiPolicy.ALLOW_ALL.typesAllowed().add("X"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
