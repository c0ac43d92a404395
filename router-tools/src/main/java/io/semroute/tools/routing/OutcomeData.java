package io.semroute.tools.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.tools.data.DataException;
import io.semroute.tools.data.Jsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Outcome data in the shape of {@code ../shared/data/routing/*.jsonl}: one object per line with
 * {@code prompt}, optional {@code id} and {@code task}, and {@code outcomes: {model: {score,
 * cost_usd}}}. Rows without {@code cost_usd} take their cost from a price table ({@code {model:
 * {input_per_1m, output_per_1m}}}, USD per million tokens, e.g. {@code
 * routing/llmrouter_prices.json}): prompt tokens (estimated as characters / 4) plus a fixed number
 * of answer tokens. Every row must score the same models as the first one.
 */
public record OutcomeData(List<String> models, List<OutcomeRow> rows) {

  /** Characters per token for the cost estimate from a price table. */
  public static final double CHARS_PER_TOKEN = 4.0;

  /**
   * @param prices price table, or null when every outcome carries {@code cost_usd}
   * @param outputTokens assumed answer length for price-table costs
   */
  public static OutcomeData read(Path file, Path prices, int outputTokens) {
    Map<String, double[]> price = prices == null ? Map.of() : readPrices(prices);
    List<JsonNode> nodes = Jsonl.read(file);
    List<String> models = null;
    List<OutcomeRow> rows = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      JsonNode n = nodes.get(i);
      String where = file + ": row " + (i + 1);
      JsonNode prompt = n.get("prompt");
      if (prompt == null || !prompt.isTextual()) {
        throw new DataException(where + ": missing string field 'prompt'");
      }
      JsonNode outcomes = n.get("outcomes");
      if (outcomes == null || !outcomes.isObject() || outcomes.isEmpty()) {
        throw new DataException(
            where + ": missing object field 'outcomes' ({model: {score, cost_usd}})");
      }
      if (models == null) {
        models = new ArrayList<>();
        outcomes.fieldNames().forEachRemaining(models::add);
      }
      double[] score = new double[models.size()];
      double[] cost = new double[models.size()];
      for (int m = 0; m < models.size(); m++) {
        JsonNode o = outcomes.get(models.get(m));
        if (o == null) {
          throw new DataException(
              where
                  + ": no outcome for model '"
                  + models.get(m)
                  + "' (every row must score the same models)");
        }
        JsonNode s = o.get("score");
        if (s == null || !s.isNumber() || s.asDouble() < 0 || s.asDouble() > 1) {
          throw new DataException(
              where + ": outcomes." + models.get(m) + ".score must be a number in [0, 1]");
        }
        score[m] = s.asDouble();
        JsonNode c = o.get("cost_usd");
        if (c != null && c.isNumber()) {
          cost[m] = c.asDouble();
        } else {
          double[] p = price.get(models.get(m));
          if (p == null) {
            throw new DataException(
                where
                    + ": outcomes."
                    + models.get(m)
                    + " has no cost_usd and "
                    + (prices == null
                        ? "no --prices table was given"
                        : prices + " has no price for it"));
          }
          double promptTokens = prompt.asText().length() / CHARS_PER_TOKEN;
          cost[m] = (promptTokens * p[0] + outputTokens * p[1]) / 1e6;
        }
      }
      if (outcomes.size() != models.size()) {
        Iterator<String> it = outcomes.fieldNames();
        while (it.hasNext()) {
          String name = it.next();
          if (!models.contains(name)) {
            throw new DataException(
                where + ": model '" + name + "' is not scored in the first row");
          }
        }
      }
      String id = n.path("id").asText("row" + (i + 1));
      rows.add(new OutcomeRow(id, n.path("task").asText(""), prompt.asText(), score, cost));
    }
    if (rows.isEmpty()) {
      throw new DataException(file + ": no rows");
    }
    return new OutcomeData(List.copyOf(models), List.copyOf(rows));
  }

  private static Map<String, double[]> readPrices(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DataException("price table " + file + " does not exist");
    }
    try {
      JsonNode root = Jsonl.MAPPER.readTree(file.toFile());
      Map<String, double[]> out = new LinkedHashMap<>();
      root.properties()
          .forEach(
              e ->
                  out.put(
                      e.getKey(),
                      new double[] {
                        e.getValue().path("input_per_1m").asDouble(),
                        e.getValue().path("output_per_1m").asDouble()
                      }));
      return out;
    } catch (IOException e) {
      throw new DataException(file + ": not a JSON price table: " + e.getMessage());
    }
  }

  /** Rows whose prompt falls in the given part of {@link PromptSplit}. */
  public OutcomeData part(PromptSplit split, PromptSplit.Part part) {
    return new OutcomeData(
        models, rows.stream().filter(r -> split.partOf(r.prompt()) == part).toList());
  }

  public OutcomeData filter(Predicate<OutcomeRow> keep) {
    return new OutcomeData(models, rows.stream().filter(keep).toList());
  }

  public List<String> prompts() {
    return rows.stream().map(OutcomeRow::prompt).toList();
  }

  /** Distinct task names in order of first appearance ("" when rows carry none). */
  public List<String> tasks() {
    return rows.stream().map(OutcomeRow::task).distinct().toList();
  }
}
