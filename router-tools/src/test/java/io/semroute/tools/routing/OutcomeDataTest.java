package io.semroute.tools.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.semroute.tools.data.DataException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutcomeDataTest {
  @TempDir Path dir;

  @Test
  void readsScoresAndCostsInTheFirstRowsModelOrder() throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("d.jsonl"),
            """
        {"id": "q1", "task": "arc", "prompt": "p1", "outcomes": {"a": {"score": 1, "cost_usd": 0.5}, "b": {"score": 0, "cost_usd": 2}}}
        {"prompt": "p2", "outcomes": {"b": {"score": 1.0, "cost_usd": 3}, "a": {"score": 0.0, "cost_usd": 1}}}
        """);
    OutcomeData d = OutcomeData.read(f, null, 0);
    assertThat(d.models()).containsExactly("a", "b");
    assertThat(d.rows().get(1).score()).containsExactly(0.0, 1.0);
    assertThat(d.rows().get(1).cost()).containsExactly(1.0, 3.0);
    assertThat(d.rows().get(0).task()).isEqualTo("arc");
    assertThat(d.rows().get(1).id()).isEqualTo("row2");
  }

  @Test
  void costsFromAPriceTableWhenTheDataHasNone() throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("d.jsonl"),
            "{\"prompt\": \"" + "x".repeat(400) + "\", \"outcomes\": {\"a\": {\"score\": 1}}}\n");
    Path prices =
        Files.writeString(
            dir.resolve("p.json"), "{\"a\": {\"input_per_1m\": 2, \"output_per_1m\": 4}}");
    OutcomeData d = OutcomeData.read(f, prices, 50);
    // 400 chars = 100 tokens in at $2/M + 50 out at $4/M
    assertThat(d.rows().get(0).cost()[0]).isCloseTo((100 * 2 + 50 * 4) / 1e6, within(1e-12));
    assertThatThrownBy(() -> OutcomeData.read(f, null, 50))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("no cost_usd")
        .hasMessageContaining("--prices");
  }

  @Test
  void badRowsNameFileAndRow() throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("d.jsonl"),
            """
        {"prompt": "p1", "outcomes": {"a": {"score": 1, "cost_usd": 1}}}
        {"prompt": "p2", "outcomes": {"b": {"score": 1, "cost_usd": 1}}}
        """);
    assertThatThrownBy(() -> OutcomeData.read(f, null, 0))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("d.jsonl: row 2")
        .hasMessageContaining("no outcome for model 'a'");
    Path g =
        Files.writeString(
            dir.resolve("g.jsonl"),
            "{\"prompt\": \"p\", \"outcomes\": {\"a\": {\"score\": 2, \"cost_usd\": 1}}}\n");
    assertThatThrownBy(() -> OutcomeData.read(g, null, 0))
        .hasMessageContaining("score must be a number in [0, 1]");
  }

  @Test
  void splitByPromptIsStableAndNearTheFractions() {
    PromptSplit s = new PromptSplit(42, 0.15, 0.15);
    int test = 0;
    int dev = 0;
    for (int i = 0; i < 4000; i++) {
      PromptSplit.Part p = s.partOf("prompt " + i);
      assertThat(s.partOf("prompt " + i)).isEqualTo(p);
      test += p == PromptSplit.Part.test ? 1 : 0;
      dev += p == PromptSplit.Part.dev ? 1 : 0;
    }
    assertThat(test / 4000.0).isCloseTo(0.15, within(0.03));
    assertThat(dev / 4000.0).isCloseTo(0.15, within(0.03));
    assertThat(
            new PromptSplit(43, 0.15, 0.15).partOf("prompt 1") == s.partOf("prompt 1")
                && new PromptSplit(43, 0.15, 0.15).partOf("prompt 2") == s.partOf("prompt 2")
                && new PromptSplit(43, 0.15, 0.15).partOf("prompt 3") == s.partOf("prompt 3")
                && new PromptSplit(43, 0.15, 0.15).partOf("prompt 4") == s.partOf("prompt 4")
                && new PromptSplit(43, 0.15, 0.15).partOf("prompt 5") == s.partOf("prompt 5"))
        .isFalse();
  }
}
