package io.semroute.extproc.server;

import static io.semroute.extproc.ExtProcMessages.body;
import static io.semroute.extproc.ExtProcMessages.immediateBody;
import static io.semroute.extproc.ExtProcMessages.of;
import static io.semroute.extproc.ExtProcMessages.ofRequestBody;
import static io.semroute.extproc.ExtProcMessages.ofResponseBody;
import static io.semroute.extproc.ExtProcMessages.ofResponseHeaders;
import static io.semroute.extproc.ExtProcMessages.requestHeaders;
import static io.semroute.extproc.ExtProcMessages.requestHeadersOnly;
import static io.semroute.extproc.ExtProcMessages.requestTrailers;
import static io.semroute.extproc.ExtProcMessages.responseHeaders;
import static io.semroute.extproc.ExtProcMessages.responseTrailers;
import static io.semroute.extproc.ExtProcMessages.setHeader;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse.ResponseCase;
import io.grpc.stub.StreamObserver;
import io.semroute.config.Listeners;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.ExtProcMessages.FakeEnvoy;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.envoy.Replies;
import io.semroute.extproc.pipeline.Admission;
import io.semroute.extproc.pipeline.DecideStage;
import io.semroute.extproc.pipeline.EndpointPicker;
import io.semroute.extproc.pipeline.ParseStage;
import io.semroute.extproc.pipeline.RecordStage;
import io.semroute.extproc.pipeline.RequestContext;
import io.semroute.extproc.pipeline.RequestListener;
import io.semroute.extproc.pipeline.RequestPipeline;
import io.semroute.extproc.pipeline.RequestStage;
import io.semroute.extproc.pipeline.RequestSummary;
import io.semroute.extproc.pipeline.ResponseStage;
import io.semroute.extproc.pipeline.RouterSnapshot;
import io.semroute.extproc.pipeline.RouterSnapshots;
import io.semroute.extproc.pipeline.StageResult;
import io.semroute.extproc.pipeline.Tracing;
import io.semroute.extproc.processor.Processors;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The stream loop without a socket: a fake Envoy ({@link FakeEnvoy}) sends messages straight into
 * {@link ExtProcService#process} and reads what comes back.
 */
class ExtProcServiceTest {
  private static final String MATHS =
      "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the derivative of x^3?\"}]}";
  private static final String HELLO =
      "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  private static final String USAGE =
      "{\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}";

  private final List<RequestSummary> records = new ArrayList<>();
  private final RouterSnapshots snapshots = RouterSnapshots.keywordOnly(TestConfigs.sample());
  private final FakeEnvoy envoy = new FakeEnvoy();

  private ExtProcService service(RequestPipeline pipeline, RequestListener listener) {
    return new ExtProcService(
        snapshots::current,
        new Processors(
            pipeline,
            listener,
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
            Admission.of(Listeners.DEFAULTS)));
  }

  private ExtProcService standard() {
    return service(
        RequestPipeline.standard(
            new EndpointPicker(() -> RandomGenerator.of("L64X128MixRandom")),
            records::add,
            null,
            Tracing.OFF),
        records::add);
  }

  /** A pipeline of the given stages that records what happened to each request. */
  private ExtProcService pipeline(List<RequestStage> request, ResponseStage... response) {
    List<ResponseStage> all = new ArrayList<>(List.of(response));
    all.add(new RecordStage(records::add));
    return service(new RequestPipeline(request, all, Tracing.OFF), records::add);
  }

  private static List<ResponseCase> cases(List<ProcessingResponse> replies) {
    return replies.stream().map(ProcessingResponse::getResponseCase).toList();
  }

  @Test
  void aPassThroughStreamGetsOneReplyOfTheMatchingTypePerMessageInOrder() {
    StreamObserver<ProcessingRequest> stream = standard().process(envoy);
    stream.onNext(of(requestHeaders("POST", "/v1/embeddings")));
    stream.onNext(ofRequestBody(body("{\"input\":\"x\"}", true)));
    stream.onNext(requestTrailers());
    stream.onNext(ofResponseHeaders(responseHeaders(200, "application/json")));
    stream.onNext(ofResponseBody(body("{}", true)));
    stream.onNext(responseTrailers());
    stream.onCompleted();

    assertThat(cases(envoy.received))
        .containsExactly(
            ResponseCase.REQUEST_HEADERS,
            ResponseCase.REQUEST_BODY,
            ResponseCase.REQUEST_TRAILERS,
            ResponseCase.RESPONSE_HEADERS,
            ResponseCase.RESPONSE_BODY,
            ResponseCase.RESPONSE_TRAILERS);
    assertThat(envoy.received.get(0).getRequestHeaders().getResponse().hasHeaderMutation())
        .as("nothing to change on a path the router does not route")
        .isFalse();
    assertThat(envoy.received.get(3).getModeOverride().getResponseBodyMode().name())
        .as("the body of an unrouted response is not asked for")
        .isEqualTo("NONE");
    assertThat(envoy.completed).isEqualTo(1);
    assertThat(records).hasSize(1);
    assertThat(records.get(0).routedDecision()).isNull();
    assertThat(records.get(0).path()).isEqualTo("/v1/embeddings");
    assertThat(records.get(0).responseStatus()).isEqualTo(200);
    assertThat(records.get(0).cancelled()).isFalse();
  }

  @Test
  void aRoutedStreamIsRoutedAndItsResponseRead() {
    StreamObserver<ProcessingRequest> stream = standard().process(envoy);
    stream.onNext(of(requestHeaders("POST", "/v1/chat/completions")));
    stream.onNext(ofRequestBody(body(MATHS, true)));
    stream.onNext(ofResponseHeaders(responseHeaders(200, "application/json")));
    stream.onNext(ofResponseBody(body(USAGE, true)));
    stream.onCompleted();

    assertThat(cases(envoy.received))
        .containsExactly(
            ResponseCase.REQUEST_HEADERS,
            ResponseCase.REQUEST_BODY,
            ResponseCase.RESPONSE_HEADERS,
            ResponseCase.RESPONSE_BODY);
    assertThat(
            setHeader(
                envoy
                    .received
                    .get(1)
                    .getRequestBody()
                    .getResponse()
                    .getHeaderMutation()
                    .getSetHeadersList(),
                "x-selected-model"))
        .isEqualTo(TestConfigs.QWEN);
    assertThat(records).hasSize(1);
    assertThat(records.get(0).routedDecision().model()).isEqualTo(TestConfigs.QWEN);
    assertThat(records.get(0).usage().totalTokens()).isEqualTo(12);
  }

  @Test
  void aStreamKeepsTheSnapshotItOpenedWithAcrossASwap() {
    RouterConfig first = snapshots.current().config();
    RouterConfig qwenByDefault =
        new RouterConfig(
            first.source(),
            first.listeners(),
            first.backends(),
            first.models(),
            first.reasoningFamilies(),
            first.categories(),
            TestConfigs.QWEN,
            first.autoModelNames(),
            first.routing(),
            first.classifier());
    ExtProcService service = standard();
    StreamObserver<ProcessingRequest> open = service.process(envoy);
    snapshots.swap(RouterSnapshot.keywordOnly(qwenByDefault));
    open.onNext(of(requestHeaders("POST", "/v1/chat/completions")));
    open.onNext(ofRequestBody(body(HELLO, true)));

    FakeEnvoy later = new FakeEnvoy();
    StreamObserver<ProcessingRequest> fresh = service.process(later);
    fresh.onNext(of(requestHeaders("POST", "/v1/chat/completions")));
    fresh.onNext(ofRequestBody(body(HELLO, true)));

    assertThat(selectedModel(envoy.last()))
        .as("opened before the swap")
        .isEqualTo(TestConfigs.LLAMA);
    assertThat(selectedModel(later.last())).as("opened after the swap").isEqualTo(TestConfigs.QWEN);
  }

  private static String selectedModel(ProcessingResponse bodyReply) {
    return setHeader(
        bodyReply.getRequestBody().getResponse().getHeaderMutation().getSetHeadersList(),
        "x-selected-model");
  }

  @Test
  void aRequestAnsweredByAStageGetsItsImmediateResponse() {
    StreamObserver<ProcessingRequest> stream = standard().process(envoy);
    stream.onNext(of(requestHeaders("POST", "/v1/chat/completions")));
    stream.onNext(ofRequestBody(body("{\"model\":\"no-such-model\",\"messages\":[]}", true)));
    stream.onCompleted();

    ProcessingResponse answer = envoy.last();
    assertThat(answer.hasImmediateResponse()).isTrue();
    assertThat(answer.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(400);
    assertThat(immediateBody(answer)).contains("model_not_found");
    assertThat(records).hasSize(1);
    assertThat(records.get(0).immediateStatus()).isEqualTo(400);
    assertThat(records.get(0).routedDecision()).isNull();
  }

  @Test
  void theModelListIsAnsweredByTheRouterItself() {
    StreamObserver<ProcessingRequest> stream = standard().process(envoy);
    stream.onNext(of(requestHeadersOnly("GET", "/v1/models")));
    stream.onCompleted();

    assertThat(envoy.received).hasSize(1);
    assertThat(envoy.last().getImmediateResponse().getStatus().getCodeValue()).isEqualTo(200);
    assertThat(immediateBody(envoy.last()))
        .contains("\"auto\"", "\"" + TestConfigs.QWEN + "\"", "\"" + TestConfigs.LLAMA + "\"");
    assertThat(records.get(0).immediateStatus()).isEqualTo(200);
  }

  @Test
  void aFailureOnTheRequestPathIsAnswered500AsAnOpenAiError() {
    StreamObserver<ProcessingRequest> stream =
        pipeline(List.of(new ParseStage(), new BrokenStage())).process(envoy);
    stream.onNext(of(requestHeaders("POST", "/v1/chat/completions")));
    stream.onNext(ofRequestBody(body(MATHS, true)));
    stream.onCompleted();

    ProcessingResponse answer = envoy.last();
    assertThat(answer.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(500);
    assertThat(immediateBody(answer)).contains("internal semantic router error", "server_error");
    assertThat(records.get(0).immediateStatus()).isEqualTo(500);
  }

  @Test
  void aFailureOnTheResponsePathLetsTheMessageThroughUnchanged() {
    StreamObserver<ProcessingRequest> stream =
        pipeline(List.of(new ParseStage(), new DecideStage()), new BrokenResponseStage())
            .process(envoy);
    stream.onNext(of(requestHeaders("POST", "/v1/chat/completions")));
    stream.onNext(ofRequestBody(body(MATHS, true)));
    stream.onNext(ofResponseHeaders(responseHeaders(200, "application/json")));
    stream.onNext(ofResponseBody(body(USAGE, true)));
    stream.onCompleted();

    assertThat(cases(envoy.received))
        .as("never an ImmediateResponse once the response is under way")
        .containsExactly(
            ResponseCase.REQUEST_HEADERS,
            ResponseCase.REQUEST_BODY,
            ResponseCase.RESPONSE_HEADERS,
            ResponseCase.RESPONSE_BODY);
    assertThat(envoy.received.get(2)).isEqualTo(Replies.responseHeadersContinue());
    assertThat(envoy.received.get(3)).isEqualTo(Replies.responseBodyContinue());
    assertThat(envoy.completed).isEqualTo(1);
  }

  @Test
  void anEmptyMessageGetsNoReplyAndTheStreamGoesOn() {
    StreamObserver<ProcessingRequest> stream = standard().process(envoy);
    stream.onNext(ProcessingRequest.getDefaultInstance());
    stream.onNext(of(requestHeaders("GET", "/v1/other")));
    stream.onCompleted();

    assertThat(cases(envoy.received)).containsExactly(ResponseCase.REQUEST_HEADERS);
    assertThat(envoy.completed).isEqualTo(1);
  }

  @Test
  void aStreamResetByEnvoyIsRecordedOnceAsCancelled() {
    StreamObserver<ProcessingRequest> stream = standard().process(envoy);
    stream.onNext(of(requestHeaders("POST", "/v1/chat/completions")));
    stream.onNext(ofRequestBody(body(MATHS, true)));
    stream.onError(new IllegalStateException("client went away"));
    stream.onError(new IllegalStateException("again"));

    assertThat(envoy.completed).as("the router does not complete a stream Envoy reset").isZero();
    assertThat(records).hasSize(1);
    assertThat(records.get(0).cancelled()).isTrue();
    assertThat(records.get(0).routedDecision().model()).isEqualTo(TestConfigs.QWEN);
  }

  @Test
  void aFailingListenerDoesNotBreakTheStream() {
    RequestListener failing =
        r -> {
          records.add(r);
          throw new IllegalStateException("listener bug");
        };
    StreamObserver<ProcessingRequest> stream =
        service(
                RequestPipeline.standard(
                    new EndpointPicker(() -> RandomGenerator.of("L64X128MixRandom")),
                    failing,
                    null,
                    Tracing.OFF),
                failing)
            .process(envoy);
    stream.onNext(of(requestHeaders("GET", "/v1/other")));
    stream.onCompleted();

    assertThat(envoy.completed).isEqualTo(1);
    assertThat(records).hasSize(1);
  }

  /** A request stage with a bug. */
  private static final class BrokenStage implements RequestStage {
    @Override
    public StageResult apply(RequestContext ctx) {
      throw new IllegalStateException("stage bug");
    }
  }

  /** A response stage with a bug. */
  private static final class BrokenResponseStage implements ResponseStage {
    @Override
    public void onHeaders(RequestContext ctx, Mutations reply) {
      reply.set("x-half-done", "yes");
      throw new IllegalStateException("stage bug");
    }

    @Override
    public void onBody(RequestContext ctx, byte[] chunk, boolean endOfStream) {
      throw new IllegalStateException("stage bug");
    }
  }
}
