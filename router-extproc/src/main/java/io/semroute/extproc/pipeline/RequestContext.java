package io.semroute.extproc.pipeline;

import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.opentelemetry.api.trace.Span;
import io.semroute.extproc.cache.AnswerAssembler;
import io.semroute.extproc.cache.CacheRequest;
import io.semroute.extproc.cache.NativeAnswerReader;
import io.semroute.extproc.cache.SemanticCache;
import io.semroute.extproc.clientapi.ChatRequests;
import io.semroute.extproc.clientapi.ClientApi;
import io.semroute.extproc.clientapi.ClientRequest;
import io.semroute.extproc.clientapi.NativeUsageReader;
import io.semroute.extproc.clientapi.ToolCallIdReader;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.envoy.HeaderMaps;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.guard.PiiFindings;
import io.semroute.extproc.guard.RequestGuards;
import io.semroute.extproc.guard.Screening;
import io.semroute.extproc.openai.ParsedRequest;
import io.semroute.extproc.openai.ParsedRequest.ClientText;
import io.semroute.extproc.openai.RequestKind;
import io.semroute.extproc.openai.Usage;
import io.semroute.extproc.openai.UsageReader;
import io.semroute.extproc.session.StoredResponse;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One routed request as its stages see it: what came in, what each stage found, and the mutations
 * of the {@code request_body} reply. Created by the processor on the request headers, written by
 * the stages in order, read once at stream end into its {@link RequestSummary}. Touched only by its
 * stream's gRPC callbacks, which grpc-java serialises.
 */
public final class RequestContext {
  private final RouterSnapshot snapshot;
  private final RequestKind kind;
  private final ClientApi api;
  private final RequestInfo info;
  private final Mutations mutations = new Mutations();

  private HeaderMap requestHeaders = HeaderMap.getDefaultInstance();
  private byte[] body;
  private ParsedRequest request;
  private ClientRequest client;
  private Upstream upstream;
  private AnswerTranslation translation;
  private NativeUsageReader nativeUsage;
  private ToolCallIdReader toolCalls;
  private String modelKept;
  private StoredResponse storedResponse;
  private RequestGuards.Pending pendingScreening;
  private Screening screening;
  private RoutingDecision decision;
  private PiiFindings pii = PiiFindings.NONE;
  private PiiAction piiAction;
  private JailbreakMark jailbreakMark;
  private boolean bodyChanged;
  private int immediateStatus;

  private Span streamSpan = Span.getInvalid();
  private long bodyNanos;
  private long routedNanos;
  private long firstResponseBodyNanos;
  private boolean ttftSeen;
  private final LinkedHashMap<String, Long> stageNanos = new LinkedHashMap<>();

  private int responseStatus;
  private boolean responseSse;
  private boolean responseStreamed;
  private UsageReader usageReader;
  private CacheRequest cacheRequest;
  private SemanticCache.Hit cacheHit;

  /** Over {@code listeners.max_in_flight}: routed without classifiers; the limit, else 0. */
  private int overloadedAt;

  private AnswerAssembler cacheAnswer;
  private NativeAnswerReader nativeCacheAnswer;
  private LimitHold limitHold;

  public RequestContext(RouterSnapshot snapshot, RequestKind kind, RequestInfo info) {
    this.snapshot = snapshot;
    this.kind = kind;
    this.api = ClientApi.CHAT_COMPLETIONS;
    this.info = info;
  }

  /** A Messages or Responses request ({@link #kind()} is then chat completions, never read). */
  public RequestContext(RouterSnapshot snapshot, ClientApi api, RequestInfo info) {
    this.snapshot = snapshot;
    this.kind = RequestKind.CHAT_COMPLETIONS;
    this.api = api;
    this.info = info;
  }

  /** The config, decision engine and guards the whole request uses. */
  public RouterSnapshot snapshot() {
    return snapshot;
  }

  public RequestKind kind() {
    return kind;
  }

  /** The API the client speaks (chat completions also for legacy completions). */
  public ClientApi api() {
    return api;
  }

  /** Whether the client speaks Messages or Responses (the agent APIs). */
  public boolean agentApi() {
    return api != ClientApi.CHAT_COMPLETIONS;
  }

  public RequestInfo info() {
    return info;
  }

  public String requestId() {
    return info.requestId();
  }

  /** Headers and body the {@code request_body} reply will carry. */
  public Mutations mutations() {
    return mutations;
  }

  /** Keeps the client's request headers (the semantic cache reads its tenant and cache-control). */
  public void requestHeaders(HeaderMap headers) {
    this.requestHeaders = headers;
  }

  /** A request header as the client sent it (name case-insensitive), or null. */
  public String requestHeader(String name) {
    return HeaderMaps.get(requestHeaders, name);
  }

  /** The buffered request body as the client sent it. */
  public byte[] body() {
    return body;
  }

  public void body(byte[] body) {
    this.body = body;
  }

  /** The parsed body; set by {@link ParseStage}. */
  public ParsedRequest request() {
    return request;
  }

  void request(ParsedRequest request) {
    this.request = request;
  }

  /**
   * The request as every API's stages read it; set by {@link ParseStage}, null before (and when the
   * body was refused). For chat completions the same body as {@link #request()}.
   */
  public ClientRequest client() {
    return client;
  }

  void client(ClientRequest client) {
    this.client = client;
  }

  /** The requested model. */
  public String model() {
    return request != null ? request.model() : client.model();
  }

  /** Whether the client asked for SSE. */
  public boolean stream() {
    return request != null ? request.stream() : client.stream();
  }

  /** The user turns the classifiers and the jailbreak guard read. */
  public List<String> userTexts() {
    return request != null ? request.userTexts() : client.userTexts();
  }

  /** Every client-supplied string with its JSON pointer (PII scan and redaction). */
  public List<ClientText> clientTexts() {
    return request != null ? request.clientTexts() : client.clientTexts();
  }

  /** What the backend was sent (its API, its backend); set by {@link MutateStage}. */
  public Upstream upstream() {
    return upstream;
  }

  void upstream(Upstream upstream) {
    this.upstream = upstream;
  }

  /** The answer's translation back to the client's API, or null when the backend speaks it. */
  public AnswerTranslation translation() {
    return translation;
  }

  void translation(AnswerTranslation translation) {
    this.translation = translation;
  }

  NativeUsageReader nativeUsage() {
    return nativeUsage;
  }

  void nativeUsage(NativeUsageReader reader) {
    this.nativeUsage = reader;
  }

  ToolCallIdReader toolCalls() {
    return toolCalls;
  }

  void toolCalls(ToolCallIdReader reader) {
    this.toolCalls = reader;
  }

  /** Why the conversation's earlier model was kept ({@code tool_call}, ...), or null. */
  public String modelKept() {
    return modelKept;
  }

  void modelKept(String why) {
    this.modelKept = why;
  }

  /** The response {@code previous_response_id} names, as the router remembers it, or null. */
  public StoredResponse storedResponse() {
    return storedResponse;
  }

  void storedResponse(StoredResponse stored) {
    this.storedResponse = stored;
  }

  /** Guard work started by {@link ScreenStage}; runs while later stages do. */
  void screening(RequestGuards.Pending pending) {
    this.pendingScreening = pending;
  }

  /** The stream's tracing span (invalid when tracing is off). */
  public Span streamSpan() {
    return streamSpan;
  }

  void streamSpan(Span span) {
    this.streamSpan = span;
  }

  /** The status the router answered with itself, or 0 when it forwarded the request. */
  public int immediateStatus() {
    return immediateStatus;
  }

  /**
   * The guards' verdict when it is known without waiting (unit tests of the stages hand one in
   * instead of running classifiers).
   */
  void screened(Screening verdict) {
    this.screening = verdict;
  }

  /** The guards' verdict if some stage has waited for it, else null (never waits). */
  public Screening screeningIfDone() {
    return screening;
  }

  /** When the request body arrived ({@link System#nanoTime()}), 0 before. */
  public long bodyNanos() {
    return bodyNanos;
  }

  /** When the request stages finished (routing reply or answer), 0 before. */
  public long routedNanos() {
    return routedNanos;
  }

  /** When the first response body message arrived, 0 before. */
  public long firstResponseBodyNanos() {
    return firstResponseBodyNanos;
  }

  boolean ttftSeen() {
    return ttftSeen;
  }

  void ttftSeen(boolean seen) {
    this.ttftSeen = seen;
  }

  void firstResponseBodyNanos(long nanos) {
    this.firstResponseBodyNanos = nanos;
  }

  /** Time spent in each request stage that ran, by stage name, in order. */
  public Map<String, Long> stageNanos() {
    return Collections.unmodifiableMap(stageNanos);
  }

  void stageTime(String stage, long nanos) {
    stageNanos.put(stage, nanos);
  }

  void bodyNanos(long nanos) {
    this.bodyNanos = nanos;
  }

  void routedNanos(long nanos) {
    this.routedNanos = nanos;
  }

  /** The guards' verdict, waiting for it on the first call. */
  public Screening screening() {
    if (screening == null) {
      screening = pendingScreening.await(info.requestId());
    }
    return screening;
  }

  /** Where the request goes; set by {@link DecideStage}. */
  public RoutingDecision decision() {
    return decision;
  }

  public void decision(RoutingDecision decision) {
    this.decision = decision;
  }

  /** The decision the request was forwarded with, or null when the router answered itself. */
  public RoutingDecision routedDecision() {
    return immediateStatus == 0 ? decision : null;
  }

  /** PII types the guards noticed (never the values). */
  public PiiFindings pii() {
    return pii;
  }

  void pii(PiiFindings pii) {
    this.pii = pii;
  }

  /** What a PII policy did (rerouted, redacted, blocked), or null when it did nothing. */
  public PiiAction piiAction() {
    return piiAction;
  }

  void piiAction(PiiAction action) {
    this.piiAction = action;
  }

  /** How the jailbreak guard marked a request it let through, or null. */
  public JailbreakMark jailbreakMark() {
    return jailbreakMark;
  }

  void jailbreakMark(JailbreakMark mark) {
    this.jailbreakMark = mark;
  }

  /** Whether a stage replaced the client's body (a redaction): forward {@link #body()}. */
  public boolean bodyChanged() {
    return bodyChanged;
  }

  /** Replaces the body and its parsed form (later stages see the new one). */
  void replaceBody(byte[] newBody, ParsedRequest reparsed) {
    this.body = newBody;
    this.request = reparsed;
    this.client = ChatRequests.view(reparsed);
    this.bodyChanged = true;
  }

  /** Replaces the body of a Messages or Responses request and its parsed form. */
  void replaceBody(byte[] newBody, ClientRequest reparsed) {
    this.body = newBody;
    this.client = reparsed;
    this.bodyChanged = true;
  }

  /** Marks a request admitted over the limit: no classifier runs for it (fail open). */
  public void overloaded(int limit) {
    this.overloadedAt = limit;
  }

  /** True when the request is routed without classifiers because the router is at its limit. */
  public boolean overloaded() {
    return overloadedAt > 0;
  }

  /** Why an overloaded request was routed as it was. */
  public String overloadReason() {
    return "overloaded: " + overloadedAt + " requests were being classified";
  }

  private String attemptModel;
  private String attemptFallbackFrom;

  /** The router answered the request itself with this status. */
  public void answeredLocally(int status) {
    this.immediateStatus = status;
  }

  /** Records the upstream response's headers (status, whether it is SSE, whether STREAMED). */
  public void response(int status, boolean sse, boolean streamed) {
    this.responseStatus = status;
    this.responseSse = sse;
    this.responseStreamed = streamed;
  }

  /**
   * The model Envoy's upstream pass says answered ({@code x-vsr-attempt-model}), or null when no
   * upstream pass ran (then this pass counts the answer for the routed model's breaker).
   */
  public String attemptModel() {
    return attemptModel;
  }

  public void attemptModel(String model) {
    this.attemptModel = model;
  }

  /**
   * The models Envoy's upstream pass says failed before the answering attempt ({@code
   * x-vsr-fallback-from}), or null.
   */
  public String attemptFallbackFrom() {
    return attemptFallbackFrom;
  }

  public void attemptFallbackFrom(String models) {
    this.attemptFallbackFrom = models;
  }

  public int responseStatus() {
    return responseStatus;
  }

  /** Whether the response is {@code text/event-stream}. */
  public boolean responseSse() {
    return responseSse;
  }

  /** Whether the response body comes STREAMED (an SSE response with a body). */
  public boolean responseStreamed() {
    return responseStreamed;
  }

  UsageReader usageReader() {
    return usageReader;
  }

  void usageReader(UsageReader reader) {
    this.usageReader = reader;
  }

  /** How the semantic cache treats this request; set by {@link CacheLookupStage}, or null. */
  public CacheRequest cacheRequest() {
    return cacheRequest;
  }

  void cacheRequest(CacheRequest request) {
    this.cacheRequest = request;
  }

  /** Whether the cache was consulted for this request (a tenant, no {@code no-cache}, ...). */
  public boolean cacheLookedUp() {
    return cacheRequest != null && cacheRequest.skip() == null;
  }

  /** Whether the router answered this request from the cache. */
  public boolean cacheHit() {
    return cacheHit != null;
  }

  /** The cache's answer to this request (tier, similarity, check), or null when it had none. */
  public SemanticCache.Hit cacheAnswered() {
    return cacheHit;
  }

  void cacheHit(SemanticCache.Hit hit) {
    this.cacheHit = hit;
  }

  /** The answer being assembled for the cache from the response; null when it is not stored. */
  AnswerAssembler cacheAnswer() {
    return cacheAnswer;
  }

  void cacheAnswer(AnswerAssembler assembler) {
    this.cacheAnswer = assembler;
  }

  /** A native Messages or Responses answer being read for the cache, or null. */
  NativeAnswerReader nativeCacheAnswer() {
    return nativeCacheAnswer;
  }

  void nativeCacheAnswer(NativeAnswerReader reader) {
    this.nativeCacheAnswer = reader;
  }

  /** Token usage read from the response so far, or null. */
  public Usage usage() {
    if (nativeUsage != null) {
      return nativeUsage.usage();
    }
    return usageReader == null ? null : usageReader.usage();
  }

  /**
   * Whether the response body read so far ends as a whole answer does: an SSE body with its last
   * event ({@code data: [DONE]}, or the native API's closing event); true for JSON and when nothing
   * was read.
   */
  public boolean responseComplete() {
    if (nativeUsage != null) {
      return nativeUsage.complete();
    }
    return usageReader == null || usageReader.complete();
  }

  /** What the request holds of the limits; set by {@link LimitStage}, or null. */
  public LimitHold limitHold() {
    return limitHold;
  }

  void limitHold(LimitHold hold) {
    this.limitHold = hold;
  }
}
