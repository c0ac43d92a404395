package io.semroute.extproc.decision;

import io.semroute.config.Condition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The signals of one request, as decisions read them.
 *
 * @param taskType null when there is no task-type model or it failed
 * @param success predicted success per configured model (mapped from the outcome pool); empty when
 *     not predicted
 * @param difficulty 1 - the highest predicted success over the whole pool, NaN when not predicted
 */
public record RequestSignals(
    String category,
    String taskType,
    double taskTypeConfidence,
    int tokens,
    int turns,
    String language,
    String script,
    Map<String, Double> success,
    double difficulty)
    implements Condition.Signals {

  public RequestSignals {
    success = Collections.unmodifiableMap(new LinkedHashMap<>(success));
  }

  @Override
  public double success(String model) {
    Double p = success.get(model);
    return p == null ? Double.NaN : p;
  }

  /**
   * One header value: {@code task_type=maths(0.97); tokens=42; turns=1; language=en; script=latin;
   * difficulty=0.21; success.qwen3-8b=0.79}; signals not computed are left out.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (taskType != null) {
      sb.append(String.format(Locale.ROOT, "task_type=%s(%.2f); ", taskType, taskTypeConfidence));
    }
    sb.append("tokens=")
        .append(tokens)
        .append("; turns=")
        .append(turns)
        .append("; language=")
        .append(language)
        .append("; script=")
        .append(script);
    if (!Double.isNaN(difficulty)) {
      sb.append(String.format(Locale.ROOT, "; difficulty=%.2f", difficulty));
    }
    success.forEach((m, p) -> sb.append(String.format(Locale.ROOT, "; success.%s=%.2f", m, p)));
    return sb.toString();
  }
}
