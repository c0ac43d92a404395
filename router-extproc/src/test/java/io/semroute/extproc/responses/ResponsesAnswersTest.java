package io.semroute.extproc.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.Fixtures;
import io.semroute.extproc.openai.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponsesAnswersTest {
  @Test
  void aRefusalIsACompletedResponseWithARefusalPart() {
    ObjectNode r =
        ResponsesAnswers.refusal(
            Fixtures.json("responses/request-simple.json"), "resp_r1", 1765152300, "auto", "No.");
    assertThat(r.get("status").asText()).isEqualTo("completed");
    assertThat(r.at("/output/0/type").asText()).isEqualTo("message");
    assertThat(r.at("/output/0/id").asText()).isEqualTo("msg_r1");
    assertThat(r.at("/output/0/content/0").toString())
        .isEqualTo("{\"type\":\"refusal\",\"refusal\":\"No.\"}");
    assertThat(r.at("/usage/total_tokens").asLong()).isZero();
    assertThat(r.get("instructions").asText()).isEqualTo("Show the result only.");
  }

  @Test
  void aStreamedRefusalIsTheApisEventSequence() throws Exception {
    ObjectNode r =
        ResponsesAnswers.refusal(
            Fixtures.json("responses/request-simple.json"), "resp_r1", 1765152300, "auto", "No.");
    List<Fixtures.Event> events = Fixtures.events(ResponsesAnswers.stream(r));
    assertThat(events.stream().map(Fixtures.Event::name))
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
            "response.refusal.delta",
            "response.refusal.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    JsonNode created = Json.MAPPER.readTree(events.get(0).data()).get("response");
    assertThat(created.get("status").asText()).isEqualTo("in_progress");
    assertThat(created.get("output")).isEmpty();
    assertThat(created.get("usage").isNull()).isTrue();
    assertThat(Json.MAPPER.readTree(events.get(8).data()).get("response").toString())
        .isEqualTo(r.toString());
  }

  @Test
  void aCachedAnswerIsReplayedUnderTheNewIdAndStreamedItemByItem() throws Exception {
    ObjectNode cached = Fixtures.json("responses/chat-reasoning.response.json");
    ObjectNode replay = ResponsesAnswers.replay(cached, "resp_new", 1765159999);
    assertThat(replay.get("id").asText()).isEqualTo("resp_new");
    assertThat(replay.get("created_at").asLong()).isEqualTo(1765159999);
    assertThat(cached.get("id").asText()).isEqualTo("resp_8f1c2a9e4b7d4e0f9a3c5b6d7e8f9012");
    List<String> names =
        Fixtures.events(ResponsesAnswers.stream(replay)).stream()
            .map(Fixtures.Event::name)
            .toList();
    assertThat(names)
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
            "response.reasoning_text.delta",
            "response.reasoning_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
  }

  @Test
  void aReplayedLengthCutEndsWithResponseIncomplete() {
    ObjectNode cached = Fixtures.json("responses/chat-length.response.json");
    List<Fixtures.Event> events = Fixtures.events(ResponsesAnswers.stream(cached));
    assertThat(events.get(events.size() - 1).name()).isEqualTo("response.incomplete");
  }

  @Test
  void backendErrorsComeBackInOpenAisShape() throws Exception {
    String openAi =
        "{\"error\":{\"message\":\"bad\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}";
    assertThat(
            new String(
                ResponsesErrors.fromChatError(400, openAi.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8))
        .isEqualTo(openAi);
    String flat =
        "{\"object\":\"error\",\"message\":\"too long\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}";
    assertThat(
            new String(
                ResponsesErrors.fromChatError(400, flat.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"error\":{\"message\":\"too long\",\"type\":\"BadRequestError\",\"param\":null,\"code\":\"400\"}}");
    assertThat(
            new String(
                ResponsesErrors.fromChatError(502, "<html>".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"error\":{\"message\":\"the backend answered HTTP 502\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
  }
}
