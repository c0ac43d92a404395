package io.semroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.semroute.config.ConfigLoader;
import io.semroute.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The alert rules (promtool), the Prometheus config and the Grafana dashboard in deploy/. */
@SuppressWarnings("unchecked")
class ObservabilityFilesTest {
  static final Path PROMETHEUS = Fixtures.repo("deploy/prometheus");
  static final Path DASHBOARD = Fixtures.repo("deploy/grafana/dashboards/semantic-router.json");

  /**
   * The router's metric names (docs/operating.md, "Metrics") plus the JVM and process ones of the
   * Prometheus Java client and Prometheus's own {@code up}. A dashboard or rule naming anything
   * else would show nothing.
   */
  static final Set<String> KNOWN =
      Set.of(
          "up",
          "llm_model_requests_total",
          "llm_model_routing_latency_seconds_bucket",
          "llm_classifier_latency_seconds_bucket",
          "llm_model_prompt_tokens_total",
          "llm_model_completion_tokens_total",
          "llm_model_cost_total",
          "llm_model_ttft_seconds_bucket",
          "llm_cache_hits_total",
          "llm_cache_misses_total",
          "llm_pii_violations_total",
          "llm_jailbreak_actions_total",
          "llm_request_errors_total",
          "llm_classifier_batch_size_bucket",
          "llm_classifier_queue_wait_seconds_bucket",
          "llm_classifier_rejections_total",
          "llm_config_reloads_total",
          "process_resident_memory_bytes",
          "jvm_memory_used_bytes",
          "process_cpu_seconds_total");

  static final Set<String> PROMQL_WORDS =
      Set.of(
          "sum",
          "by",
          "rate",
          "increase",
          "histogram_quantile",
          "job",
          "le",
          "on",
          "without",
          "and",
          "or",
          "unless",
          "max",
          "min",
          "avg",
          "count",
          "clamp_min",
          "model",
          "category",
          "reason",
          "outcome",
          "classifier",
          "currency",
          "action",
          "result",
          "instance",
          "area");

  @Test
  void alertRulesPassPromtoolAndTheirUnitTests() throws Exception {
    Binaries.assumeOnPath("promtool", "prometheus");
    Binaries.Result check =
        Binaries.run(PROMETHEUS, List.of("promtool", "check", "rules", "alerts.yml"));
    assertThat(check.exit()).as(check.output()).isZero();
    Binaries.Result test =
        Binaries.run(PROMETHEUS, List.of("promtool", "test", "rules", "alerts_test.yml"));
    assertThat(test.exit()).as(test.output()).isZero();
    Binaries.Result config =
        Binaries.run(PROMETHEUS, List.of("promtool", "check", "config", "prometheus.yml"));
    assertThat(config.exit()).as(config.output()).isZero();
  }

  @Test
  void theAlertsTheIssueAsksForExist() throws Exception {
    Map<String, Object> rules =
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(PROMETHEUS.resolve("alerts.yml")));
    Set<String> alerts = new HashSet<>();
    for (Object g : (List<Object>) rules.get("groups")) {
      for (Object r : (List<Object>) ((Map<String, Object>) g).get("rules")) {
        Map<String, Object> rule = (Map<String, Object>) r;
        alerts.add((String) rule.get("alert"));
        assertThat(metricNames((String) rule.get("expr")))
            .as(rule.get("alert") + " uses known metrics")
            .isSubsetOf(KNOWN);
      }
    }
    assertThat(alerts)
        .contains(
            "SemanticRouterDown",
            "SemanticRouterHighErrorRate",
            "SemanticRouterClassifierSlow",
            "SemanticRouterClassifierQueueRejections");
  }

  @Test
  void prometheusScrapesTheConfiguredMetricsPort() throws Exception {
    int metricsPort = ConfigLoader.load(Fixtures.repo("config.yaml")).listeners().metricsPort();
    Map<String, Object> prom =
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(PROMETHEUS.resolve("prometheus.yml")));
    Map<String, Object> job =
        (Map<String, Object>) ((List<Object>) prom.get("scrape_configs")).get(0);
    assertThat(job.get("job_name"))
        .as("the job the alert rules and dashboard select")
        .isEqualTo("semantic-router");
    Map<String, Object> targets =
        (Map<String, Object>) ((List<Object>) job.get("static_configs")).get(0);
    assertThat((List<Object>) targets.get("targets")).containsExactly("router:" + metricsPort);
  }

  @Test
  void theDashboardIsValidAndShowsOnlyKnownMetrics() throws Exception {
    JsonNode dash = new ObjectMapper().readTree(DASHBOARD.toFile());
    assertThat(dash.get("uid").asText()).isEqualTo("semantic-router");
    Set<Integer> ids = new HashSet<>();
    Set<String> used = new LinkedHashSet<>();
    int queries = 0;
    for (JsonNode panel : dash.get("panels")) {
      assertThat(ids.add(panel.get("id").asInt()))
          .as("unique panel id " + panel.get("id"))
          .isTrue();
      if ("row".equals(panel.get("type").asText())) {
        continue;
      }
      assertThat(panel.at("/datasource/uid").asText())
          .as(panel.get("title").asText())
          .isEqualTo("prometheus");
      for (JsonNode target : panel.get("targets")) {
        String expr = target.get("expr").asText();
        assertThat(expr).as(panel.get("title").asText()).contains("job=\"semantic-router\"");
        used.addAll(metricNames(expr));
        queries++;
      }
    }
    assertThat(queries).isGreaterThan(20);
    assertThat(used).isSubsetOf(KNOWN);
    assertThat(used)
        .contains(
            "llm_model_requests_total",
            "llm_classifier_latency_seconds_bucket",
            "llm_model_cost_total",
            "llm_model_ttft_seconds_bucket",
            "llm_classifier_rejections_total");
    // The provisioning points Grafana at this folder and the Prometheus the compose file runs.
    String provider =
        Files.readString(
            Fixtures.repo("deploy/grafana/provisioning/dashboards/semantic-router.yaml"));
    assertThat(provider).contains("path: /var/lib/grafana/dashboards");
    String datasource =
        Files.readString(Fixtures.repo("deploy/grafana/provisioning/datasources/prometheus.yaml"));
    assertThat(datasource).contains("uid: prometheus").contains("url: http://prometheus:9090");
  }

  /**
   * Metric names in a PromQL expression: identifiers that are not functions, keywords or labels.
   */
  static Set<String> metricNames(String expr) {
    String noStrings = expr.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\[[^\\]]*\\]", "");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(noStrings);
    while (m.find()) {
      String word = m.group();
      int after = m.end();
      boolean isLabelKey =
          after < noStrings.length()
              && (noStrings.startsWith("=", after)
                  || noStrings.startsWith("!=", after)
                  || noStrings.startsWith("=~", after));
      boolean isCall = after < noStrings.length() && noStrings.charAt(after) == '(';
      if (!isLabelKey && !isCall && !PROMQL_WORDS.contains(word) && !word.startsWith("$")) {
        names.add(word);
      }
    }
    return names;
  }
}
