package io.semroute.tools.data;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Maps the 57 MMLU subjects onto the 14 MMLU-Pro categories. Read off the data itself: every
 * MMLU-Pro question whose {@code src} is {@code ori_mmlu-<subject>} carries its category, and each
 * subject maps to exactly one category there. {@code moral_scenarios} has no MMLU-Pro questions
 * (MMLU-Pro dropped it) and is left out rather than guessed.
 */
public final class MmluDomains {
  private static final Map<String, String> SUBJECT_TO_DOMAIN =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry("abstract_algebra", "math"),
              Map.entry("anatomy", "health"),
              Map.entry("astronomy", "physics"),
              Map.entry("business_ethics", "business"),
              Map.entry("clinical_knowledge", "health"),
              Map.entry("college_biology", "biology"),
              Map.entry("college_chemistry", "chemistry"),
              Map.entry("college_computer_science", "computer science"),
              Map.entry("college_mathematics", "math"),
              Map.entry("college_medicine", "health"),
              Map.entry("college_physics", "physics"),
              Map.entry("computer_security", "computer science"),
              Map.entry("conceptual_physics", "physics"),
              Map.entry("econometrics", "economics"),
              Map.entry("electrical_engineering", "engineering"),
              Map.entry("elementary_mathematics", "math"),
              Map.entry("formal_logic", "philosophy"),
              Map.entry("global_facts", "other"),
              Map.entry("high_school_biology", "biology"),
              Map.entry("high_school_chemistry", "chemistry"),
              Map.entry("high_school_computer_science", "computer science"),
              Map.entry("high_school_european_history", "history"),
              Map.entry("high_school_geography", "other"),
              Map.entry("high_school_government_and_politics", "other"),
              Map.entry("high_school_macroeconomics", "economics"),
              Map.entry("high_school_mathematics", "math"),
              Map.entry("high_school_microeconomics", "economics"),
              Map.entry("high_school_physics", "physics"),
              Map.entry("high_school_psychology", "psychology"),
              Map.entry("high_school_statistics", "math"),
              Map.entry("high_school_us_history", "history"),
              Map.entry("high_school_world_history", "history"),
              Map.entry("human_aging", "health"),
              Map.entry("human_sexuality", "other"),
              Map.entry("international_law", "law"),
              Map.entry("jurisprudence", "law"),
              Map.entry("logical_fallacies", "philosophy"),
              Map.entry("machine_learning", "computer science"),
              Map.entry("management", "business"),
              Map.entry("marketing", "business"),
              Map.entry("medical_genetics", "health"),
              Map.entry("miscellaneous", "other"),
              Map.entry("moral_disputes", "philosophy"),
              Map.entry("nutrition", "health"),
              Map.entry("philosophy", "philosophy"),
              Map.entry("prehistory", "history"),
              Map.entry("professional_accounting", "other"),
              Map.entry("professional_law", "law"),
              Map.entry("professional_medicine", "health"),
              Map.entry("professional_psychology", "psychology"),
              Map.entry("public_relations", "other"),
              Map.entry("security_studies", "other"),
              Map.entry("sociology", "other"),
              Map.entry("us_foreign_policy", "other"),
              Map.entry("virology", "health"),
              Map.entry("world_religions", "philosophy")));

  private MmluDomains() {}

  /** The MMLU-Pro category of an MMLU subject, or empty for subjects left out. */
  public static Optional<String> domainOf(String subject) {
    return Optional.ofNullable(SUBJECT_TO_DOMAIN.get(subject));
  }

  public static Map<String, String> mapping() {
    return Collections.unmodifiableMap(SUBJECT_TO_DOMAIN);
  }
}
