package io.semroute.extproc.processor;

import static io.semroute.extproc.ExtProcMessages.body;
import static io.semroute.extproc.ExtProcMessages.immediateBody;
import static io.semroute.extproc.ExtProcMessages.requestHeaders;
import static io.semroute.extproc.ExtProcMessages.requestHeadersOnly;
import static io.semroute.extproc.ExtProcMessages.responseHeaders;
import static io.semroute.extproc.ExtProcMessages.setHeader;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.config.Listeners.Overload;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.envoy.Replies;
import io.semroute.extproc.openai.RequestKind;
import io.semroute.extproc.pipeline.Admission;
import io.semroute.extproc.pipeline.DecideStage;
import io.semroute.extproc.pipeline.EndpointPicker;
import io.semroute.extproc.pipeline.ParseStage;
import io.semroute.extproc.pipeline.RecordStage;
import io.semroute.extproc.pipeline.RequestContext;
import io.semroute.extproc.pipeline.RequestInfo;
import io.semroute.extproc.pipeline.RequestPipeline;
import io.semroute.extproc.pipeline.RequestStage;
import io.semroute.extproc.pipeline.RequestSummary;
import io.semroute.extproc.pipeline.RouterSnapshot;
import io.semroute.extproc.pipeline.StageResult;
import io.semroute.extproc.pipeline.Tracing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The messages of one routed request and the reply each gets, without gRPC. */
class RoutedProcessorTest {
  private static final String MATHS =
      "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the derivative of x^3?\"}]}";

  private final List<RequestSummary> records = new ArrayList<>();
  private final RouterSnapshot snapshot = RouterSnapshot.keywordOnly(TestConfigs.sample());
  private final RequestPipeline standard =
      RequestPipeline.standard(
          new EndpointPicker(() -> RandomGenerator.of("L64X128MixRandom")),
          records::add,
          null,
          Tracing.OFF);

  private RoutedProcessor processor(
      RequestPipeline pipeline, HttpHeaders headers, Admission admission) {
    return new RoutedProcessor(
        pipeline,
        snapshot,
        RequestKind.CHAT_COMPLETIONS,
        RequestInfo.of(headers.getHeaders(), System.nanoTime()),
        admission);
  }

  private RoutedProcessor processor(HttpHeaders headers) {
    return processor(standard, headers, new Admission(4, Overload.REJECT));
  }

  private static List<HeaderValueOption> bodySets(ProcessingResponse reply) {
    return reply.getRequestBody().getResponse().getHeaderMutation().getSetHeadersList();
  }

  @Test
  void aRoutedRequestIsForwardedToTheChosenModelWithItsBodyRewritten() {
    HttpHeaders headers = requestHeaders("POST", "/v1/chat/completions");
    RoutedProcessor p = processor(headers);

    assertThat(p.requestHeaders(headers)).isEqualTo(Replies.requestHeadersContinue());
    ProcessingResponse routed = p.requestBody(body(MATHS, true));
    assertThat(setHeader(bodySets(routed), "x-selected-model")).isEqualTo(TestConfigs.QWEN);
    assertThat(routed.getRequestBody().getResponse().getClearRouteCache())
        .as("the route is chosen again on the new header")
        .isTrue();
    String rewritten =
        routed
            .getRequestBody()
            .getResponse()
            .getBodyMutation()
            .getBody()
            .toString(StandardCharsets.UTF_8);
    assertThat(rewritten).contains("\"model\":\"" + TestConfigs.QWEN + "\"");

    assertThat(p.responseHeaders(responseHeaders(200, "application/json")).hasResponseHeaders())
        .isTrue();
    assertThat(p.responseBody(body("{}", true))).isEqualTo(Replies.responseBodyContinue());
    p.finish(false);
    assertThat(records).hasSize(1);
    assertThat(records.get(0).routedDecision().model()).isEqualTo(TestConfigs.QWEN);
    assertThat(records.get(0).responseStatus()).isEqualTo(200);
  }

  @Test
  void aRequestAnsweredByAStageGetsThatStagesReplyAndNoRoute() {
    HttpHeaders headers = requestHeaders("POST", "/v1/chat/completions");
    RequestPipeline teapot =
        new RequestPipeline(
            List.of(new ParseStage(), new TeapotStage(), new DecideStage()),
            List.of(new RecordStage(records::add)),
            Tracing.OFF);
    RoutedProcessor p = processor(teapot, headers, new Admission(4, Overload.REJECT));
    p.requestHeaders(headers);

    ProcessingResponse answer = p.requestBody(body(MATHS, true));
    assertThat(answer).isSameAs(TeapotStage.ANSWER);
    p.finish(false);
    assertThat(records.get(0).immediateStatus()).isEqualTo(418);
    assertThat(records.get(0).routedDecision()).as("stages after the answer did not run").isNull();
  }

  @Test
  void aClientSentRoutingHeaderIsRemovedAndTheRouteCacheCleared() {
    HttpHeaders headers =
        requestHeaders("POST", "/v1/chat/completions", "x-selected-model", "llama-3.1-8b-instruct");
    ProcessingResponse reply = processor(headers).requestHeaders(headers);

    assertThat(reply.getRequestHeaders().getResponse().getHeaderMutation().getRemoveHeadersList())
        .contains("x-selected-model");
    assertThat(reply.getRequestHeaders().getResponse().getClearRouteCache()).isTrue();
  }

  @Test
  void aRequestWithoutABodyIsAnswered400() {
    HttpHeaders headers = requestHeadersOnly("POST", "/v1/chat/completions");
    RoutedProcessor p = processor(headers);

    ProcessingResponse answer = p.requestHeaders(headers);
    assertThat(answer.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(400);
    assertThat(immediateBody(answer)).contains("request body is required");
    p.finish(false);
    assertThat(records.get(0).immediateStatus()).isEqualTo(400);
  }

  @Test
  void aBodyInChunksIsRefusedAsAMisconfiguredEnvoy() {
    HttpHeaders headers = requestHeaders("POST", "/v1/chat/completions");
    RoutedProcessor p = processor(headers);
    p.requestHeaders(headers);

    ProcessingResponse answer = p.requestBody(body("{\"model\":", false));
    assertThat(answer.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(500);
    assertThat(immediateBody(answer)).contains("router_misconfigured", "BUFFERED");
  }

  @Test
  void overTheLimitARequestIsRefused503WhenTheConfigSaysReject() {
    HttpHeaders headers = requestHeaders("POST", "/v1/chat/completions");
    Admission full = new Admission(1, Overload.REJECT);
    assertThat(full.tryEnter()).as("a request being classified").isTrue();
    RoutedProcessor p = processor(standard, headers, full);
    p.requestHeaders(headers);

    ProcessingResponse answer = p.requestBody(body(MATHS, true));
    assertThat(answer.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(503);
    assertThat(immediateBody(answer)).contains("overloaded", "1 requests are being classified");
    assertThat(full.inFlight()).isEqualTo(1);
  }

  @Test
  void overTheLimitARequestGoesUnclassifiedToTheDefaultModelWhenTheConfigSaysSo() {
    HttpHeaders headers = requestHeaders("POST", "/v1/chat/completions");
    Admission full = new Admission(1, Overload.DEFAULT_MODEL);
    assertThat(full.tryEnter()).as("a request being classified").isTrue();
    RoutedProcessor p = processor(standard, headers, full);
    p.requestHeaders(headers);

    ProcessingResponse routed = p.requestBody(body(MATHS, true));
    assertThat(setHeader(bodySets(routed), "x-selected-model"))
        .as("maths, but not classified")
        .isEqualTo(TestConfigs.LLAMA);
    assertThat(full.inFlight()).as("the overloaded request took no slot").isEqualTo(1);
  }

  @Test
  void anAdmittedRequestGivesItsSlotBackWhenRouted() {
    HttpHeaders headers = requestHeaders("POST", "/v1/chat/completions");
    Admission one = new Admission(1, Overload.REJECT);
    RoutedProcessor p = processor(standard, headers, one);
    p.requestHeaders(headers);
    p.requestBody(body(MATHS, true));

    assertThat(one.inFlight()).isZero();
    assertThat(one.tryEnter()).isTrue();
  }

  @Test
  void anSseResponseIsAskedForAsAStream() {
    HttpHeaders headers = requestHeaders("POST", "/v1/chat/completions");
    RoutedProcessor p = processor(headers);
    p.requestHeaders(headers);
    p.requestBody(body(MATHS, true));

    ProcessingResponse reply = p.responseHeaders(responseHeaders(200, "text/event-stream"));
    assertThat(reply.getModeOverride().getResponseBodyMode()).isEqualTo(BodySendMode.STREAMED);
  }

  @Test
  void theResponseOfARequestTheRouterAnsweredItselfIsNotRead() {
    HttpHeaders headers = requestHeaders("POST", "/v1/chat/completions");
    RoutedProcessor p = processor(headers);
    p.requestHeaders(headers);
    p.requestBody(body("{\"model\":\"no-such-model\",\"messages\":[]}", true));

    ProcessingResponse reply = p.responseHeaders(responseHeaders(400, "application/json"));
    assertThat(reply.getModeOverride().getResponseBodyMode()).isEqualTo(BodySendMode.NONE);
    assertThat(p.responseBody(body("{}", true))).isEqualTo(Replies.responseBodyContinue());
  }

  /** Answers every request with 418 (a stand-in for a guard or the cache answering). */
  private static final class TeapotStage implements RequestStage {
    static final ProcessingResponse ANSWER =
        Replies.immediateJson(418, "{}".getBytes(StandardCharsets.UTF_8), "test: teapot");

    @Override
    public StageResult apply(RequestContext ctx) {
      return StageResult.answer(418, ANSWER);
    }
  }
}
