package io.semroute.config;

import java.util.List;
import java.util.Set;

/**
 * A decision's {@code when:} over the request's signals. Leaves test one signal; {@link All},
 * {@link Any} and {@link Not} combine them. A signal that is not available for a request (no
 * task-type model, prediction failed) makes every leaf over it false, so {@code not} of such a leaf
 * is true: write conditions so that "unknown" falls on the safe side.
 */
public sealed interface Condition {

  /** The values a condition reads; implemented by the router's per-request signals. */
  interface Signals {
    /** The routed category, or null (none confident enough). */
    String category();

    /** The task type, or null when unknown. */
    String taskType();

    /** Estimated prompt size in tokens (all user turns). */
    int tokens();

    /** Number of user turns in the conversation. */
    int turns();

    /** ISO 639-1 guess ({@code en}, {@code de}, ...) or {@code und}. */
    String language();

    /** Dominant script of the letters: {@code latin}, {@code cyrillic}, {@code han}, ... */
    String script();

    /** Predicted success of a configured model, or NaN when not predicted. */
    double success(String model);

    /** 1 - the highest predicted success over the outcome pool, or NaN. */
    double difficulty();
  }

  boolean test(Signals s);

  /**
   * True when the condition reads the task type / predicted success (so the signal must be
   * computed).
   */
  default boolean needsTaskType() {
    return false;
  }

  default boolean needsSuccess() {
    return false;
  }

  /** A combination of conditions: it needs a signal when any part does. */
  sealed interface Group extends Condition permits All, Any {
    List<Condition> of();

    default boolean needsTaskType() {
      return of().stream().anyMatch(Condition::needsTaskType);
    }

    default boolean needsSuccess() {
      return of().stream().anyMatch(Condition::needsSuccess);
    }
  }

  record All(List<Condition> of) implements Group {
    public boolean test(Signals s) {
      return of.stream().allMatch(c -> c.test(s));
    }
  }

  record Any(List<Condition> of) implements Group {
    public boolean test(Signals s) {
      return of.stream().anyMatch(c -> c.test(s));
    }
  }

  record Not(Condition of) implements Condition {
    public boolean test(Signals s) {
      return !of.test(s);
    }

    public boolean needsTaskType() {
      return of.needsTaskType();
    }

    public boolean needsSuccess() {
      return of.needsSuccess();
    }
  }

  /** Always true ({@code when} left out). */
  record Always() implements Condition {
    public boolean test(Signals s) {
      return true;
    }
  }

  /** {@code category: [..]}; {@code default} matches "no category". */
  record CategoryIn(Set<String> names) implements Condition {
    public boolean test(Signals s) {
      return names.contains(s.category() == null ? "default" : s.category());
    }
  }

  record TaskTypeIn(Set<String> names) implements Condition {
    public boolean test(Signals s) {
      return s.taskType() != null && names.contains(s.taskType());
    }

    public boolean needsTaskType() {
      return true;
    }
  }

  record LanguageIn(Set<String> names) implements Condition {
    public boolean test(Signals s) {
      return names.contains(s.language());
    }
  }

  record ScriptIn(Set<String> names) implements Condition {
    public boolean test(Signals s) {
      return names.contains(s.script());
    }
  }

  /** {@code min_tokens} / {@code max_tokens}: inclusive bounds. */
  record Tokens(int min, int max) implements Condition {
    public boolean test(Signals s) {
      return s.tokens() >= min && s.tokens() <= max;
    }
  }

  /** {@code min_turns} / {@code max_turns}: inclusive bounds. */
  record Turns(int min, int max) implements Condition {
    public boolean test(Signals s) {
      return s.turns() >= min && s.turns() <= max;
    }
  }

  /** {@code success_at_least} / {@code success_below: {model, value}}. */
  record Success(String model, double value, boolean atLeast) implements Condition {
    public boolean test(Signals s) {
      double p = s.success(model);
      return !Double.isNaN(p) && (atLeast ? p >= value : p < value);
    }

    public boolean needsSuccess() {
      return true;
    }
  }

  /** {@code difficulty_at_least} / {@code difficulty_below: value}. */
  record Difficulty(double value, boolean atLeast) implements Condition {
    public boolean test(Signals s) {
      double d = s.difficulty();
      return !Double.isNaN(d) && (atLeast ? d >= value : d < value);
    }

    public boolean needsSuccess() {
      return true;
    }
  }
}
