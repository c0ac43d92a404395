package io.semroute.extproc.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.clientapi.ClientApi;
import io.semroute.extproc.clientapi.ClientRequest;
import io.semroute.extproc.clientapi.ClientRequest.Turn;
import io.semroute.extproc.clientapi.Fixtures;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.openai.ParsedRequest.ClientText;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponsesParserTest {
  private static ClientRequest parse(String json) throws BadRequestException {
    return ResponsesParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsWhatThePipelineNeedsFromAToolLoopRequest() throws Exception {
    ClientRequest r = ResponsesParser.parse(Fixtures.bytes("responses/request-tool-loop.json"));
    assertThat(r.api()).isEqualTo(ClientApi.RESPONSES);
    assertThat(r.model()).isEqualTo("auto");
    assertThat(r.stream()).isTrue();
    assertThat(r.system())
        .isEqualTo("You are a coding agent. Answer briefly.\nPrefer metric units.");
    assertThat(r.turns())
        .containsExactly(
            new Turn("user", "What is the weather in Paris and Tokyo?"),
            new Turn("assistant", "Checking both cities."));
    assertThat(r.toolResults())
        .containsExactly(
            new ClientText("/input/6/output", "18°C, light rain"),
            new ClientText("/input/7/output/0/text", "24°C, clear sky"));
    assertThat(r.clientTexts())
        .containsExactly(
            new ClientText("/input/1/content/0/text", "What is the weather in Paris and Tokyo?"),
            new ClientText("/input/6/output", "18°C, light rain"),
            new ClientText("/input/7/output/0/text", "24°C, clear sky"));
    assertThat(r.lastToolResultIds()).containsExactly("call_A", "call_B");
    assertThat(r.userId()).isEqualTo("user-42");
    assertThat(r.reasoning()).isEqualTo(new ClientRequest.Reasoning(true, "high", null));
    assertThat(r.store()).isFalse();
    assertThat(r.previousResponseId()).isNull();
    JsonNode body = Json.MAPPER.readTree(Fixtures.bytes("responses/request-tool-loop.json"));
    for (ClientText t : r.clientTexts()) {
      assertThat(body.at(t.pointer()).asText()).as(t.pointer()).isEqualTo(t.text());
    }
  }

  @Test
  void aStringInputIsOneUserTurn() throws Exception {
    ClientRequest r = ResponsesParser.parse(Fixtures.bytes("responses/request-simple.json"));
    assertThat(r.userTexts()).containsExactly("Solve 3x + 5 = 20 for x.");
    assertThat(r.clientTexts())
        .containsExactly(new ClientText("/input", "Solve 3x + 5 = 20 for x."));
    assertThat(r.system()).isEqualTo("Show the result only.");
    assertThat(r.stream()).isFalse();
    assertThat(r.store()).isNull();
    assertThat(r.reasoning()).isEqualTo(new ClientRequest.Reasoning(true, "low", null));
    assertThat(r.continuesToolCall()).isFalse();
  }

  @Test
  void aFollowUpNamesItsPreviousResponseAndMayOmitInput() throws Exception {
    ClientRequest r =
        parse(
            "{\"model\":\"m\",\"previous_response_id\":\"resp_1\",\"input\":[{\"type\":"
                + "\"function_call_output\",\"call_id\":\"call_9\",\"output\":\"42\"}],"
                + "\"reasoning\":{\"effort\":\"none\"},\"user\":\"u1\"}");
    assertThat(r.previousResponseId()).isEqualTo("resp_1");
    assertThat(r.lastToolResultIds()).containsExactly("call_9");
    assertThat(r.reasoning()).isEqualTo(new ClientRequest.Reasoning(false, "none", null));
    assertThat(r.userId()).isEqualTo("u1");
    assertThat(parse("{\"model\":\"m\",\"previous_response_id\":\"resp_1\"}").turns()).isEmpty();
  }

  @Test
  void onlyResultsAfterTheLastAssistantTurnAreAnswered() throws Exception {
    ClientRequest withText =
        parse(
            "{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c\","
                + "\"name\":\"f\",\"arguments\":\"{}\"},{\"type\":\"function_call_output\","
                + "\"call_id\":\"c\",\"output\":\"1\"},{\"role\":\"user\",\"content\":\"and now?\"}]}");
    assertThat(withText.lastToolResultIds()).containsExactly("c");
    assertThat(withText.lastUserText()).isEqualTo("and now?");
    ClientRequest answeredEarlier =
        parse(
            "{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\","
                + "\"output\":\"1\"},{\"role\":\"assistant\",\"content\":\"It is 1.\"},"
                + "{\"role\":\"user\",\"content\":\"thanks, something else\"}]}");
    assertThat(answeredEarlier.continuesToolCall()).isFalse();
  }

  @Test
  void badRequestsAre400sNamingTheParameter() {
    assertRejected("nope", null, "request body is not valid JSON");
    assertRejected("{\"input\":\"x\"}", "model", "Missing required parameter: 'model'.");
    assertRejected("{\"model\":\"m\"}", "input", "Missing required parameter: 'input'.");
    assertRejected(
        "{\"model\":\"m\",\"input\":5}",
        "input",
        "Invalid type for 'input': expected a string or an array of input items.");
    assertRejected(
        "{\"model\":\"m\",\"input\":[{\"role\":\"tool\",\"content\":\"x\"}]}",
        "input[0].role",
        "Invalid value for 'input[0].role'");
    assertRejected(
        "{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}",
        "input[0].call_id",
        "Missing required parameter: 'input[0].call_id'.");
    assertRejected(
        "{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"f\","
            + "\"arguments\":{}}]}",
        "input[0].arguments",
        "Invalid type for 'input[0].arguments': expected a string.");
    assertRejected(
        "{\"model\":\"m\",\"input\":\"x\",\"reasoning\":{\"effort\":\"max\"}}",
        "reasoning.effort",
        "Invalid value for 'reasoning.effort'");
    assertRejected(
        "{\"model\":\"m\",\"input\":\"x\",\"store\":\"no\"}",
        "store",
        "Invalid type for 'store': expected a boolean.");
    assertRejected(
        "{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"function\"}]}",
        "tools[0].name",
        "Missing required parameter: 'tools[0].name'.");
    assertRejected(
        "{\"model\":\"m\",\"input\":[{\"content\":\"no type, no role\"}]}",
        "input[0].type",
        "Missing required parameter: 'input[0].type'.");
  }

  @Test
  void aRejectionBecomesOpenAisErrorBodyOrTheStreamsErrorEvent() throws Exception {
    try {
      parse("{\"model\":\"m\"}");
    } catch (BadRequestException e) {
      assertThat(new String(ResponsesErrors.json(e), StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"error\":{\"message\":\"Missing required parameter: 'input'.\","
                  + "\"type\":\"invalid_request_error\",\"param\":\"input\","
                  + "\"code\":\"invalid_request_error\"}}");
      assertThat(new String(ResponsesErrors.sse(e), StandardCharsets.UTF_8))
          .isEqualTo(
              "event: error\ndata: {\"type\":\"error\",\"code\":\"invalid_request_error\","
                  + "\"message\":\"Missing required parameter: 'input'.\",\"param\":\"input\","
                  + "\"sequence_number\":0}\n\n");
      return;
    }
    throw new AssertionError("not rejected");
  }

  private static void assertRejected(String body, String param, String message) {
    assertThatThrownBy(() -> parse(body))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.param()).isEqualTo(param);
              assertThat(e.getMessage()).startsWith(message);
            });
  }
}
