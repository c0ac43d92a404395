package io.semroute.extproc.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.Fixtures;
import io.semroute.extproc.openai.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesAnswersTest {
  @Test
  void aRefusalIsAMessageWithStopReasonRefusal() {
    ObjectNode m = MessagesAnswers.refusal("msg_r1", "auto", "I can't help with that.");
    assertThat(new String(MessagesAnswers.json(m), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"id\":\"msg_r1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"auto\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"I can't help with that.\"}],"
                + "\"stop_reason\":\"refusal\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":0}}");
  }

  @Test
  void aStreamedRefusalIsTheApisEventSequence() throws Exception {
    byte[] sse = MessagesAnswers.stream(MessagesAnswers.refusal("msg_r1", "auto", "No."));
    List<Fixtures.Event> events = Fixtures.events(sse);
    assertThat(events.stream().map(Fixtures.Event::name))
        .containsExactly(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    for (Fixtures.Event e : events) {
      assertThat(Json.MAPPER.readTree(e.data()).get("type").asText()).isEqualTo(e.name());
    }
    JsonNode start = Json.MAPPER.readTree(events.get(0).data()).get("message");
    assertThat(start.get("content")).isEmpty();
    assertThat(start.get("stop_reason").isNull()).isTrue();
    assertThat(Json.MAPPER.readTree(events.get(2).data()).at("/delta/text").asText())
        .isEqualTo("No.");
    assertThat(Json.MAPPER.readTree(events.get(4).data()).at("/delta/stop_reason").asText())
        .isEqualTo("refusal");
  }

  @Test
  void aCachedAnswerIsReplayedUnderTheNewIdInJsonAndAsAStream() throws Exception {
    ObjectNode cached = Fixtures.json("messages/chat-tool-calls.message.json");
    ObjectNode replay = MessagesAnswers.replay(cached, "msg_new");
    assertThat(replay.get("id").asText()).isEqualTo("msg_new");
    assertThat(cached.get("id").asText()).isEqualTo("msg_2d4e6f8a0b1c4d3e9f7a5b3c1d2e4f60");
    List<Fixtures.Event> events = Fixtures.events(MessagesAnswers.stream(replay));
    assertThat(events.stream().map(Fixtures.Event::name))
        .containsExactly(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    JsonNode delta = Json.MAPPER.readTree(events.get(2).data()).get("delta");
    assertThat(delta.get("type").asText()).isEqualTo("input_json_delta");
    assertThat(delta.get("partial_json").asText())
        .isEqualTo("{\"city\":\"Paris\",\"unit\":\"celsius\"}");
    JsonNode end = Json.MAPPER.readTree(events.get(7).data());
    assertThat(end.at("/delta/stop_reason").asText()).isEqualTo("tool_use");
    assertThat(end.at("/usage/output_tokens").asLong()).isEqualTo(59);
  }

  @Test
  void errorTypesFollowTheStatusAndBackendErrorsKeepTheirMessage() throws Exception {
    assertThat(MessagesErrors.type(400)).isEqualTo("invalid_request_error");
    assertThat(MessagesErrors.type(401)).isEqualTo("authentication_error");
    assertThat(MessagesErrors.type(403)).isEqualTo("permission_error");
    assertThat(MessagesErrors.type(404)).isEqualTo("not_found_error");
    assertThat(MessagesErrors.type(413)).isEqualTo("request_too_large");
    assertThat(MessagesErrors.type(429)).isEqualTo("rate_limit_error");
    assertThat(MessagesErrors.type(500)).isEqualTo("api_error");
    assertThat(MessagesErrors.type(503)).isEqualTo("overloaded_error");
    assertThat(MessagesErrors.type(529)).isEqualTo("overloaded_error");
    String vllm404 =
        "{\"error\":{\"message\":\"The model `gpt-9` does not exist.\",\"type\":\"NotFoundError\","
            + "\"param\":\"model\",\"code\":404}}";
    assertThat(
            new String(MessagesErrors.fromChatError(404, vllm404.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(
            "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\","
                + "\"message\":\"The model `gpt-9` does not exist.\"}}");
    String flat = "{\"object\":\"error\",\"message\":\"too long\",\"type\":\"BadRequestError\"}";
    assertThat(
            Json.MAPPER
                .readTree(MessagesErrors.fromChatError(400, flat.getBytes(StandardCharsets.UTF_8)))
                .at("/error/message")
                .asText())
        .isEqualTo("too long");
    assertThat(
            Json.MAPPER
                .readTree(
                    MessagesErrors.fromChatError(502, "<html>".getBytes(StandardCharsets.UTF_8)))
                .at("/error/message")
                .asText())
        .isEqualTo("the backend answered HTTP 502");
    assertThat(new String(MessagesErrors.sse(429, "slow down"), StandardCharsets.UTF_8))
        .isEqualTo(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                + "\"message\":\"slow down\"}}\n\n");
  }
}
