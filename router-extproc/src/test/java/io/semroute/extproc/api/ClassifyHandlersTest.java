package io.semroute.extproc.api;

import static io.semroute.extproc.api.ApiRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.pipeline.RouterSnapshot;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The classification handlers on a keyword-only config: their records and how they serialise. */
class ClassifyHandlersTest {
  private final RouterSnapshot snapshot = RouterSnapshot.keywordOnly(TestConfigs.sample());
  private final ClassifyHandlers handlers = new ClassifyHandlers(() -> snapshot);

  @Test
  void intentAnswersTheCategoryAndTheModelItRoutesTo() throws Exception {
    ApiResponse r =
        handlers.intent(
            request(
                "POST", "/api/v1/classify/intent", "{\"text\":\"What is the integral of x?\"}"));
    assertThat(r.status()).isEqualTo(200);
    IntentResponse intent = (IntentResponse) r.body();
    assertThat(intent.classification().category()).isEqualTo("math");
    assertThat(intent.classification().confidence()).isEqualTo(0.9);
    assertThat(intent.classification().processingTimeMs()).isNotNegative();
    assertThat(intent.probabilities()).containsEntry("math", 0.9).containsEntry("physics", 0.0);
    assertThat(intent.recommendedModel()).isEqualTo(TestConfigs.QWEN);
    assertThat(intent.routingDecision()).isEqualTo("category");
    assertThat(intent.useReasoning()).isTrue();
    assertThat(intent.reason()).isEqualTo("category math at 0.90");

    JsonNode json = Json.MAPPER.readTree(r.json());
    assertThat(List.of(json.fieldNames().next(), json.size())).containsExactly("classification", 7);
    assertThat(json.path("classification").path("processing_time_ms").isNumber()).isTrue();
    assertThat(json.path("recommended_model").asText()).isEqualTo(TestConfigs.QWEN);
    assertThat(json.path("use_reasoning").asBoolean()).isTrue();
  }

  @Test
  void intentLeavesOutWhatTheCallerDidNotAskForAndRoutesUnknownTextToTheDefault() throws Exception {
    ApiResponse r =
        handlers.intent(
            request(
                "POST",
                "/api/v1/classify/intent",
                "{\"text\":\"hello there\",\"options\":{\"return_probabilities\":false}}"));
    IntentResponse intent = (IntentResponse) r.body();
    assertThat(intent.probabilities()).isNull();
    assertThat(intent.classification().category()).isEqualTo("unknown");
    assertThat(intent.recommendedModel()).isEqualTo(TestConfigs.LLAMA);
    assertThat(intent.routingDecision()).isEqualTo("default");
    JsonNode json = Json.MAPPER.readTree(r.json());
    assertThat(json.has("probabilities")).isFalse();
    assertThat(json.has("reasoning_effort")).isFalse();
  }

  @Test
  void batchAnswersOneRecordPerText() {
    BatchResponse batch =
        ClassifyHandlers.batch(
            snapshot, Json.MAPPER.createObjectNode().set("texts", texts("integral", "hello")));
    assertThat(batch.taskType()).isEqualTo("intent");
    assertThat(batch.totalCount()).isEqualTo(2);
    assertThat(batch.results())
        .extracting(r -> ((IntentResponse) r).recommendedModel())
        .containsExactly(TestConfigs.QWEN, TestConfigs.LLAMA);
  }

  @Test
  void batchAndGuardsRefuseWhatTheyCannotDo() {
    assertThatThrownBy(
            () ->
                ClassifyHandlers.batch(
                    snapshot,
                    Json.MAPPER
                        .createObjectNode()
                        .put("task_type", "weather")
                        .set("texts", texts("a"))))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.status).isEqualTo(400);
              assertThat(e.code).isEqualTo("invalid_task_type");
              assertThat(e.param).isEqualTo("task_type");
            });
    assertThatThrownBy(
            () ->
                ClassifyHandlers.batch(
                    snapshot,
                    Json.MAPPER
                        .createObjectNode()
                        .set(
                            "texts",
                            Json.MAPPER.valueToTree(
                                Collections.nCopies(ClassifyHandlers.MAX_BATCH_TEXTS + 1, "a")))))
        .isInstanceOfSatisfying(
            ApiError.class, e -> assertThat(e.code).isEqualTo("too_many_texts"));
    assertThatThrownBy(() -> ClassifyHandlers.pii(snapshot, "a@b.co"))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.status).isEqualTo(409);
              assertThat(e.code).isEqualTo("classifier_disabled");
            });
    assertThatThrownBy(() -> ClassifyHandlers.security(snapshot, "ignore your rules"))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status).isEqualTo(409));
  }

  @Test
  void guardRecordsSerialiseWithTheReferenceNames() throws Exception {
    String security =
        new String(
            ApiResponse.ok(new SecurityResponse(true, 0.75, 0.75, 0.5, List.of("jailbreak"), 1.25))
                .json());
    assertThat(security)
        .isEqualTo(
            "{\"is_jailbreak\":true,\"risk_score\":0.75,\"confidence\":0.75,\"threshold\":0.5,"
                + "\"detection_types\":[\"jailbreak\"],\"processing_time_ms\":1.25}");
    String pii =
        new String(
            ApiResponse.ok(
                    new PiiResponse(
                        true, List.of(new PiiResponse.Entity("EMAIL", "a@b.co", 0.9, 3, 9)), 0.5))
                .json());
    assertThat(pii)
        .isEqualTo(
            "{\"has_pii\":true,\"entities\":[{\"type\":\"EMAIL\",\"value\":\"a@b.co\","
                + "\"confidence\":0.9,\"start_position\":3,\"end_position\":9}],"
                + "\"processing_time_ms\":0.5}");
  }

  private static JsonNode texts(String... texts) {
    return Json.MAPPER.valueToTree(List.of(texts));
  }
}
