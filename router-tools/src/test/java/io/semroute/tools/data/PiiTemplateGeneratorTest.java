package io.semroute.tools.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.testkit.Fixtures;
import io.semroute.testkit.QualityTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QualityTest
class PiiTemplateGeneratorTest {
  static List<PiiTemplate> templates;
  static List<SpanExample> rows;
  static List<FakeIdentity> identities;

  @BeforeAll
  static void load() {
    templates = PiiTemplate.readAll(Fixtures.sharedData("pii/generator/templates.txt"));
    rows = Jsonl.readSpans(Fixtures.sharedData("pii/train_spans.jsonl"));
    identities =
        FakeIdentity.readCsv(Fixtures.sharedData("pii/generator/FakeNameGenerator.com_3000.csv"));
  }

  @Test
  void templateIdIsTheLineNumber() {
    // Every labelled row fits the template on the line its template_id names.
    List<SpanExample> misfits =
        rows.stream().filter(r -> templates.get(r.templateId()).match(r.text()).isEmpty()).toList();
    assertThat(misfits).isEmpty();
    assertThat(identities).hasSize(3000);
    assertThat(identities.get(0).givenName()).isEqualTo("Marie");
  }

  @Test
  void conventionsAreReadOffTheGoldSpans() {
    PlaceholderConventions c = PlaceholderConventions.learn(templates, rows);
    assertThat(c.alignedRows()).isEqualTo(rows.size());
    assertThat(c.label("person")).contains("PERSON");
    assertThat(c.label("first_name")).contains("PERSON");
    assertThat(c.label("building_number")).contains("STREET_ADDRESS");
    assertThat(c.label("street_name")).contains("STREET_ADDRESS");
    assertThat(c.label("secondary_address")).contains("STREET_ADDRESS");
    assertThat(c.label("postcode")).contains("STREET_ADDRESS");
    assertThat(c.label("zipcode")).contains("ZIP_CODE");
    assertThat(c.label("address")).contains("STREET_ADDRESS");
    assertThat(c.label("city")).contains("GPE");
    assertThat(c.label("job")).contains("TITLE");
    assertThat(c.label("no_such_slot")).isEmpty();
  }

  @Test
  void generatedRowsUseOnlyTrainingTemplatesAndLabelTheFilledValues() {
    TemplateSplit.Result split = TemplateSplit.split(rows, 0.2, 42);
    Set<Integer> trainIds = new HashSet<>();
    split.train().forEach(r -> trainIds.add(r.templateId()));
    PiiTemplateGenerator g = new PiiTemplateGenerator(templates, split.train(), identities);
    List<SpanExample> out = g.generate(2000, 7);

    assertThat(out).hasSize(2000);
    assertThat(out)
        .allSatisfy(
            r -> {
              assertThat(trainIds).contains(r.templateId());
              assertThat(r.text()).doesNotContain("{{").doesNotContain("}}");
            });
    PlaceholderConventions c = g.conventions();
    int persons = 0;
    int addresses = 0;
    Random rnd = new Random(3);
    for (int k = 0; k < 2000; k++) {
      PiiTemplate t = g.templates().get(k % g.templates().size());
      PiiTemplateGenerator.Filled f = g.fill(t, rnd);
      SpanExample r = f.row();
      // Between the slots stands the template's literal text (cased like the row), and every
      // labelled slot is exactly one gold span with the label the conventions give it.
      List<CharSpan> expected = new ArrayList<>();
      int at = 0;
      int slot = 0;
      for (PiiTemplate.Part p : t.parts()) {
        if (p.slot()) {
          CharSpan s = f.slots().get(slot++);
          assertThat(s.label()).isEqualTo(p.placeholder());
          assertThat(s.start()).isEqualTo(at);
          String label = c.label(s.label()).orElseThrow();
          if (!label.equals(PlaceholderConventions.UNLABELLED)) {
            expected.add(new CharSpan(s.start(), s.end(), label));
          }
          at = s.end();
        } else {
          assertThat(r.text().substring(at, at + p.literal().length()))
              .isEqualToIgnoringCase(p.literal());
          at += p.literal().length();
        }
      }
      assertThat(at).isEqualTo(r.text().length());
      assertThat(r.spans()).as(r.text()).isEqualTo(expected);
      for (CharSpan s : r.spans()) {
        assertThat(r.text().substring(s.start(), s.end())).as(r.text()).isNotBlank();
        persons += s.label().equals("PERSON") ? 1 : 0;
        addresses += s.label().equals("STREET_ADDRESS") ? 1 : 0;
      }
    }
    assertThat(persons).isGreaterThan(500);
    assertThat(addresses).isGreaterThan(300);
    // Seeded: the same seed gives the same rows, another seed other rows.
    assertThat(g.generate(2000, 7)).isEqualTo(out);
    assertThat(g.generate(2000, 8)).isNotEqualTo(out);
  }

  @Test
  void fillsNamesFromTheIdentityTable() {
    PiiTemplate t =
        PiiTemplate.parse(
            4, "In case of my child's account, we need to add {{person}} as guardian");
    SpanExample seed =
        new SpanExample(
            "In case of my child's account, we need to add Ann Lee as guardian",
            List.of(new CharSpan(46, 53, "PERSON")),
            4);
    List<PiiTemplate> all = new ArrayList<>(templates.subList(0, 4));
    all.add(t);
    PiiTemplateGenerator g = new PiiTemplateGenerator(all, List.of(seed), identities);
    Set<String> surnames = new HashSet<>();
    identities.forEach(i -> surnames.add(i.surname().toLowerCase(Locale.ROOT)));
    long fromTable =
        g.generate(200, 1).stream()
            .map(r -> r.text().substring(r.spans().get(0).start(), r.spans().get(0).end()))
            .filter(v -> !v.equalsIgnoreCase("Ann Lee"))
            .filter(
                v ->
                    surnames.contains(v.substring(v.lastIndexOf(' ') + 1).toLowerCase(Locale.ROOT)))
            .count();
    assertThat(fromTable).isGreaterThan(80);
  }
}
