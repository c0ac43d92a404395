package io.semroute.tools.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.testkit.Fixtures;
import io.semroute.testkit.QualityTest;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@QualityTest
class DatasetAssemblerTest {
  private static final Path DATA = Fixtures.sharedData("README.md").getParent();

  private static Set<String> keys(List<SourcedText> rows) {
    return rows.stream().map(r -> TextKey.of(r.text())).collect(Collectors.toSet());
  }

  @Test
  void mmluMappingCoversEverySubjectButMoralScenariosAndNeverLeaksDevQuestions() {
    Set<String> subjects = new HashSet<>();
    Jsonl.read(DATA.resolve("category-extra/mmlu_57_subjects.jsonl"))
        .forEach(r -> subjects.add(r.path("label").asText()));
    assertThat(subjects).hasSize(57);
    for (String s : subjects) {
      assertThat(MmluDomains.domainOf(s).isPresent()).as(s).isEqualTo(!s.equals("moral_scenarios"));
    }
    Set<String> domains = new HashSet<>(MmluDomains.mapping().values());
    assertThat(domains).hasSize(14);

    DatasetAssembler.Category c = new DatasetAssembler(DATA, 42).category(true);
    Set<String> devKeys = keys(c.dev());
    assertThat(c.train()).noneMatch(r -> devKeys.contains(TextKey.of(r.text())));
    assertThat(c.train()).anyMatch(r -> r.src().startsWith("mmlu57-"));
    assertThat(c.train().stream().map(SourcedText::label).collect(Collectors.toSet()))
        .isEqualTo(domains);
  }

  @Test
  void everydayRequestsJoinCategoryTrainingAsOtherFromClincTrainSplitOnly() {
    Set<String> clincTest = new HashSet<>();
    Jsonl.read(DATA.resolve("prompts/clinc150.jsonl"))
        .forEach(
            r -> {
              if (r.path("split").asText().endsWith("test")) {
                clincTest.add(TextKey.of(r.path("text").asText()));
              }
            });
    DatasetAssembler a = new DatasetAssembler(DATA, 42);
    List<SourcedText> everyday =
        a.category(false, 300).train().stream()
            .filter(r -> r.src().startsWith("clinc150-"))
            .toList();
    assertThat(everyday).hasSize(300).allMatch(r -> r.label().equals("other"));
    assertThat(everyday).noneMatch(r -> clincTest.contains(TextKey.of(r.text())));
    assertThat(a.category(false, 0).train()).noneMatch(r -> r.src().startsWith("clinc150-"));
    assertThat(a.category(false, 300).train()).isEqualTo(a.category(false, 300).train());
  }

  @Test
  void jailbreakSplitsAreDisjointAndEvalSetsNeverReachTraining() {
    DatasetAssembler.Jailbreak j = new DatasetAssembler(DATA, 42).jailbreak();
    Set<String> train = keys(j.train());
    Set<String> dev = keys(j.dev());
    assertThat(dev).doesNotContainAnyElementsOf(train);
    assertThat(keys(j.test())).doesNotContainAnyElementsOf(train).doesNotContainAnyElementsOf(dev);
    assertThat(keys(j.ordinaryEval())).doesNotContainAnyElementsOf(train);
    assertThat(keys(j.triggerEval()))
        .doesNotContainAnyElementsOf(train)
        .doesNotContainAnyElementsOf(dev);
    assertThat(j.triggerEval())
        .hasSizeGreaterThanOrEqualTo(50)
        .allMatch(r -> r.label().equals("benign"));
    assertThat(keys(j.followUpEval()))
        .doesNotContainAnyElementsOf(train)
        .doesNotContainAnyElementsOf(dev);
    assertThat(j.followUpEval())
        .hasSizeGreaterThanOrEqualTo(50)
        .allMatch(r -> r.label().equals("benign"));
    assertThat(keys(j.triggerUnseenEval()))
        .doesNotContainAnyElementsOf(train)
        .doesNotContainAnyElementsOf(dev);
    assertThat(j.triggerUnseenEval())
        .hasSizeGreaterThanOrEqualTo(70)
        .allMatch(r -> r.label().equals("benign"))
        .noneMatch(r -> r.text().startsWith("[mt-bench]"));
    // Generated benign rows go to training only, and never carry an eval text.
    DatasetAssembler.Jailbreak g =
        new DatasetAssembler(DATA, 42).jailbreakBenignGenerated(600).jailbreak();
    assertThat(g.train())
        .filteredOn(r -> r.src().equals("generated_trigger"))
        .hasSizeGreaterThan(500);
    assertThat(g.dev()).noneMatch(r -> r.src().equals("generated_trigger"));
    assertThat(keys(g.dev())).isEqualTo(dev);
    assertThat(keys(g.train()))
        .doesNotContainAnyElementsOf(keys(g.triggerUnseenEval()))
        .doesNotContainAnyElementsOf(keys(g.triggerEval()));
    assertThat(j.train()).anyMatch(r -> r.src().equals("follow_up") && r.label().equals("benign"));
    assertThat(j.ordinaryEval()).allMatch(r -> r.label().equals("benign"));
    // injections count as attacks; ordinary prompts and hard negatives are in training as benign
    assertThat(j.train()).anyMatch(r -> r.src().equals("lakera") && r.label().equals("jailbreak"));
    assertThat(j.train())
        .anyMatch(r -> r.src().equals("hard_negative") && r.label().equals("benign"));
    assertThat(j.train()).anyMatch(r -> r.src().equals("clinc150"));
    assertThat(j.test().stream().map(SourcedText::label).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("benign", "jailbreak");
  }

  @Test
  void realSourceEvalSetsAreTaggedAndNeverReachTrainingEvenWithSupportRows() {
    DatasetAssembler.Jailbreak j =
        new DatasetAssembler(DATA, 42)
            .jailbreakBenignGenerated(600)
            .jailbreakBenignSupport(500)
            .jailbreakGeneratedRepeat(2)
            .jailbreak();
    Set<String> train = keys(j.train());
    Set<String> dev = keys(j.dev());
    assertThat(j.triggerRealEval())
        .hasSizeGreaterThan(400)
        .allMatch(r -> r.label().equals("benign"))
        .noneMatch(r -> r.text().startsWith("["))
        .anyMatch(r -> r.src().startsWith("clinc150-test:"))
        .anyMatch(r -> r.src().startsWith("mt-bench-turn2:"))
        .anyMatch(r -> r.src().startsWith("mmlu:"));
    assertThat(j.accountSupportEval())
        .hasSizeGreaterThan(150)
        .allMatch(r -> r.src().startsWith("clinc150-"));
    for (List<SourcedText> eval : List.of(j.triggerRealEval(), j.accountSupportEval())) {
      assertThat(keys(eval)).doesNotContainAnyElementsOf(train).doesNotContainAnyElementsOf(dev);
    }
    // CLINC150 support rows come from the train split of the listed intents only; dev is unchanged.
    Set<String> clincTrain = new HashSet<>();
    Jsonl.read(DATA.resolve("prompts/clinc150.jsonl"))
        .forEach(
            r -> {
              if (r.path("split").asText().equals("train")
                  && DatasetAssembler.SUPPORT_TRAIN_INTENTS.contains(r.path("label").asText())) {
                clincTrain.add(TextKey.of(r.path("text").asText()));
              }
            });
    assertThat(j.train())
        .filteredOn(r -> r.src().equals("clinc150_support"))
        .isNotEmpty()
        .allMatch(r -> clincTrain.contains(TextKey.of(r.text())));
    assertThat(j.train()).filteredOn(r -> r.src().equals("generated_support")).hasSize(1000);
    assertThat(dev).isEqualTo(keys(new DatasetAssembler(DATA, 42).jailbreak().dev()));
  }

  @Test
  void sameSeedSameFiles() {
    DatasetAssembler.Jailbreak a = new DatasetAssembler(DATA, 42).jailbreak();
    DatasetAssembler.Jailbreak b = new DatasetAssembler(DATA, 42).jailbreak();
    assertThat(a.train()).isEqualTo(b.train());
    assertThat(a.test()).isEqualTo(b.test());
  }

  @Test
  void heldOutSourcesNeverReachTrainingOrDevAndLakeraGameMovesAreDropped() {
    DatasetAssembler.Jailbreak j =
        new DatasetAssembler(DATA, 42)
            .jailbreakBenignGenerated(600)
            .jailbreakBenignSupport(500)
            .jailbreakClincExtra(1500)
            .jailbreak();
    Set<String> seen = keys(j.train());
    seen.addAll(keys(j.dev()));
    assertThat(j.selfInstructEval()).hasSize(427);
    assertThat(j.clincUtilityEval()).hasSizeGreaterThan(2000);
    assertThat(j.awesomeEval()).hasSizeGreaterThan(500);
    assertThat(j.triggerHeldOutEval()).hasSizeGreaterThanOrEqualTo(300);
    for (List<SourcedText> eval :
        List.of(
            j.selfInstructEval(),
            j.clincUtilityEval(),
            j.awesomeEval(),
            j.triggerHeldOutEval(),
            j.inTheWildEval())) {
      assertThat(keys(eval)).doesNotContainAnyElementsOf(seen);
    }
    assertThat(j.triggerHeldOutEval())
        .allMatch(r -> TriggerWords.contains(r.text()) && r.label().equals("benign"));
    assertThat(j.train()).anyMatch(r -> r.src().equals("awesome"));
    assertThat(j.train())
        .filteredOn(r -> r.src().equals("clinc150_extra"))
        .hasSizeGreaterThan(1400);
    for (List<SourcedText> part : List.of(j.train(), j.dev(), j.test())) {
      assertThat(part)
          .filteredOn(r -> r.src().equals("lakera"))
          .isNotEmpty()
          .allMatch(r -> LakeraAttackRule.isAttackOutOfContext(r.text()));
    }
    assertThat(j.lakeraDropped())
        .hasSizeGreaterThan(1000)
        .noneMatch(r -> LakeraAttackRule.isAttackOutOfContext(r.text()));
    // Held out whole: no role-play prompt in training or dev, all of them evaluated.
    DatasetAssembler.Jailbreak loso =
        new DatasetAssembler(DATA, 42).jailbreakHoldOutSource("awesome").jailbreak();
    assertThat(loso.train()).noneMatch(r -> r.src().equals("awesome"));
    assertThat(loso.dev()).noneMatch(r -> r.src().equals("awesome"));
    assertThat(loso.awesomeEval()).hasSizeGreaterThan(1400);
  }
}
