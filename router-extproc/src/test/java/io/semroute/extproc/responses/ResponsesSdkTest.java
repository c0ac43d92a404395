package io.semroute.extproc.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.ErrorObject;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.semroute.extproc.clientapi.Fixtures;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official OpenAI Java SDK reads what the router sends a Responses client: its model classes
 * parse and validate each body and event, and its stream accumulator rebuilds the response from the
 * events.
 */
class ResponsesSdkTest {
  private static final JsonMapper SDK = ObjectMappers.jsonMapper();
  private static final String SIMPLE = "responses/request-simple.json";

  private static Response response(byte[] json) throws Exception {
    return SDK.readValue(json, Response.class).validate();
  }

  /** Every event through the SDK's parser and accumulator, as its streaming client does. */
  private static ResponseAccumulator accumulate(byte[] sse) throws Exception {
    ResponseAccumulator accumulator = ResponseAccumulator.createWithSnapshots();
    for (Fixtures.Event e : Fixtures.events(sse)) {
      accumulator.accumulate(SDK.readValue(e.data(), ResponseStreamEvent.class).validate());
    }
    return accumulator;
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat-reasoning", "chat-tool-calls", "chat-length"})
  void translatedAnswersParse(String name) throws Exception {
    Response r =
        response(
            ChatToResponse.translate(
                Fixtures.json(SIMPLE), Fixtures.bytes("vllm/" + name + ".json")));
    assertThat(r.id()).startsWith("resp_");
    assertThat(r.usage()).isPresent();
  }

  @Test
  void aTranslatedToolCallAnswerReadsAsFunctionCalls() throws Exception {
    Response r =
        response(
            ChatToResponse.translate(
                Fixtures.json(SIMPLE), Fixtures.bytes("vllm/chat-tool-calls.json")));
    assertThat(r.status()).contains(ResponseStatus.COMPLETED);
    List<ResponseOutputItem> output = r.output();
    assertThat(output).hasSize(2);
    assertThat(output.get(1).asFunctionCall().callId()).isEqualTo("chatcmpl-tool-4a2b9c8d7e6f5a1b");
    assertThat(output.get(1).asFunctionCall().arguments()).contains("Tokyo");
    assertThat(r.usage().get().inputTokensDetails().cachedTokens()).isEqualTo(256);
  }

  @Test
  void aTranslatedReasoningAnswerReadsAsReasoningThenText() throws Exception {
    Response r =
        response(
            ChatToResponse.translate(
                Fixtures.json(SIMPLE), Fixtures.bytes("vllm/chat-reasoning.json")));
    assertThat(r.output().get(0).asReasoning().content().get().get(0).text())
        .startsWith("Subtract 5");
    assertThat(r.output().get(1).asMessage().content().get(0).asOutputText().text())
        .isEqualTo("x = 5, since 3 × 5 + 5 = 20.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat-stream-reasoning", "chat-stream-tool-calls"})
  void translatedStreamsParseEventByEventAndAccumulate(String name) throws Exception {
    byte[] sse =
        new ChatToResponsesStream(Fixtures.json("responses/request-tool-loop.json"))
            .accept(Fixtures.bytes("vllm/" + name + ".sse"), true);
    ResponseAccumulator accumulator = accumulate(sse);
    Response done = accumulator.response().validate();
    Response rebuilt = accumulator.reconstructedResponse().validate();
    assertThat(done.status()).contains(ResponseStatus.COMPLETED);
    assertThat(rebuilt.output()).isEqualTo(done.output());
  }

  @Test
  void aStreamedToolCallRebuildsIntoFunctionCallItems() throws Exception {
    byte[] sse =
        new ChatToResponsesStream(Fixtures.json("responses/request-tool-loop.json"))
            .accept(Fixtures.bytes("vllm/chat-stream-tool-calls.sse"), true);
    Response rebuilt = accumulate(sse).reconstructedResponse();
    assertThat(rebuilt.output().get(0).asMessage().content().get(0).asOutputText().text())
        .isEqualTo("Checking both cities.");
    assertThat(rebuilt.output().get(1).asFunctionCall().arguments())
        .isEqualTo("{\"city\": \"Paris\", \"unit\": \"celsius\"}");
    assertThat(rebuilt.output().get(2).asFunctionCall().callId())
        .isEqualTo("chatcmpl-tool-1a2b3c4d5e6f7a8b");
  }

  @Test
  void theRoutersRefusalParsesInJsonAndAsAStream() throws Exception {
    ObjectNode refusal =
        ResponsesAnswers.refusal(
            Fixtures.json(SIMPLE), "resp_r1", 1765152300, "auto", "I can't help with that.");
    Response json = response(ResponsesAnswers.json(refusal));
    assertThat(json.output().get(0).asMessage().content().get(0).asRefusal().refusal())
        .isEqualTo("I can't help with that.");
    ResponseAccumulator streamed = accumulate(ResponsesAnswers.stream(refusal));
    assertThat(
            streamed.response().validate().output().get(0).asMessage().content().get(0).isRefusal())
        .isTrue();
    assertThat(
            streamed
                .reconstructedResponse()
                .output()
                .get(0)
                .asMessage()
                .content()
                .get(0)
                .asRefusal()
                .refusal())
        .isEqualTo("I can't help with that.");
  }

  @Test
  void aReplayedCacheHitParsesInJsonAndAsAStream() throws Exception {
    ObjectNode replay =
        ResponsesAnswers.replay(
            Fixtures.json("responses/chat-tool-calls.response.json"), "resp_c1", 1765160000);
    assertThat(response(ResponsesAnswers.json(replay)).id()).isEqualTo("resp_c1");
    Response rebuilt =
        accumulate(ResponsesAnswers.stream(replay)).reconstructedResponse().validate();
    assertThat(rebuilt.output().get(0).asFunctionCall().arguments()).contains("Paris");
  }

  @Test
  void errorsParseAsTheSdksErrorObjectAndErrorEvent() throws Exception {
    BadRequestException e =
        BadRequestException.invalid("Missing required parameter: 'input'.", "input");
    JsonNode body = Json.MAPPER.readTree(ResponsesErrors.json(e));
    ErrorObject error = SDK.treeToValue(body.get("error"), ErrorObject.class).validate();
    assertThat(error.param()).contains("input");
    ResponseStreamEvent event =
        SDK.readValue(
                Fixtures.events(ResponsesErrors.sse(e)).get(0).data(), ResponseStreamEvent.class)
            .validate();
    assertThat(event.isError()).isTrue();
    assertThat(event.asError().message()).isEqualTo("Missing required parameter: 'input'.");
  }

  @Test
  void aFailedStreamParsesAsResponseFailed() throws Exception {
    String cut =
        "data: {\"id\":\"chatcmpl-1\",\"created\":5,\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\"Hel\"}}]}\n\n";
    byte[] sse = new ChatToResponsesStream(Fixtures.json(SIMPLE)).accept(cut.getBytes(), true);
    List<Fixtures.Event> events = Fixtures.events(sse);
    ResponseStreamEvent last =
        SDK.readValue(events.get(events.size() - 1).data(), ResponseStreamEvent.class).validate();
    assertThat(last.isFailed()).isTrue();
    assertThat(last.asFailed().response().error().get().message())
        .isEqualTo("the backend's stream ended before the answer was complete");
  }
}
