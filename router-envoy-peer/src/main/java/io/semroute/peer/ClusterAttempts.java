package io.semroute.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse.ResponseCase;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Envoy's router filter for one routed request, per attempt: picks the endpoint (the first of the
 * lowest priority level not yet excluded), runs the cluster's upstream HTTP filters ({@code
 * HttpProtocolOptions.http_filters}: an ext_proc filter, then {@code upstream_codec}) on a new
 * ext_proc stream per attempt, calls the endpoint, and retries by the route's {@code retry_policy}.
 * Played as Envoy plays it:
 *
 * <ul>
 *   <li>{@code retry_on}: {@code connect-failure}, {@code reset}, {@code retriable-status-codes}
 *       (with {@code retriable_status_codes}), {@code 5xx}; at most {@code num_retries} retries;
 *       the last attempt's answer (or failure) is what the client gets;
 *   <li>{@code retry_priority: envoy.retry_priorities.previous_priorities} with {@code
 *       update_frequency: 1}: each retry excludes the priority levels already tried, so it lands on
 *       the next level; without it every attempt goes to priority 0;
 *   <li>the upstream ext_proc filter gets the {@code request_attributes} it asks for (only the
 *       chosen host's metadata, {@code xds.upstream_host_metadata} or a path into its {@code
 *       filter_metadata}) on its first message and the {@code grpc_service.initial_metadata} on its
 *       stream; its header and body mutations apply to that attempt only; its {@code
 *       ImmediateResponse} is that attempt's answer (and retried like one);
 *   <li>an upstream filter chain without {@code upstream_codec} last is refused, as Envoy refuses
 *       the cluster.
 * </ul>
 *
 * Anything else (other retry conditions or priorities, response bodies to the upstream filter)
 * fails loudly instead of being played wrong.
 */
public final class ClusterAttempts {
  private static final String EXT_PROC = "envoy.filters.http.ext_proc";
  private static final String UPSTREAM_CODEC = "envoy.filters.http.upstream_codec";
  private static final String PROTOCOL_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  private static final String PREVIOUS_PRIORITIES = "envoy.retry_priorities.previous_priorities";
  private static final String HOST_METADATA = "xds.upstream_host_metadata";
  private static final Pattern HOST_METADATA_PATH =
      Pattern.compile(
          "xds\\.upstream_host_metadata\\.filter_metadata\\['([^']+)'\\]\\['([^']+)'\\]");
  private static final Set<String> RETRY_CONDITIONS =
      Set.of("connect-failure", "reset", "retriable-status-codes", "5xx");

  private final ExternalProcessorGrpc.ExternalProcessorStub processor;
  private final Upstream<String> endpoints;
  private final Consumer<AttemptRecord> attempts;

  /** One attempt: how it went, for the retry decision. */
  private record Outcome(UpstreamResponse answer, Exception failure, boolean connectFailure) {}

  /**
   * @param processor the ext_proc service the upstream filter's {@code grpc_service} names
   * @param endpoints calls an endpoint, given as {@code host:port} written in the cluster
   * @param attempts told about every attempt once its answer (or failure) is known
   */
  public ClusterAttempts(
      ExternalProcessorGrpc.ExternalProcessorStub processor,
      Upstream<String> endpoints,
      Consumer<AttemptRecord> attempts) {
    this.processor = processor;
    this.endpoints = endpoints;
    this.attempts = attempts;
  }

  /**
   * The answer of the last attempt.
   *
   * @param retry the route's retry policy (the default instance: no retry)
   * @param headers the request as the downstream filters left it (not changed here: every attempt
   *     starts from it)
   */
  public UpstreamResponse call(
      Cluster cluster, RetryPolicy retry, Map<String, List<String>> headers, byte[] body)
      throws FilterFailure, IOException, InterruptedException {
    List<List<LbEndpoint>> levels = levels(cluster);
    ExternalProcessor filter = upstreamExtProc(cluster);
    Set<String> retryOn = retryConditions(retry);
    boolean previousPriorities = previousPriorities(retry);
    int retries = retry.hasNumRetries() ? retry.getNumRetries().getValue() : 1;
    if (retryOn.isEmpty()) {
      retries = 0;
    }
    Set<Integer> excluded = new HashSet<>();
    for (int attempt = 0; ; attempt++) {
      int priority = 0;
      while (excluded.contains(priority) && priority < levels.size() - 1) {
        priority++;
      }
      LbEndpoint endpoint = levels.get(priority).get(0);
      Outcome outcome = attempt(filter, endpoint, copy(headers), body);
      boolean last = attempt >= retries;
      if (last || !retriable(outcome, retryOn, retry)) {
        if (outcome.failure() instanceof FilterFailure f) {
          throw f;
        }
        if (outcome.failure() instanceof IOException e) {
          throw e;
        }
        return outcome.answer();
      }
      if (outcome.answer() != null) {
        outcome.answer().body().close();
      }
      if (previousPriorities) {
        excluded.add(priority);
      }
    }
  }

  private Outcome attempt(
      ExternalProcessor filter, LbEndpoint endpoint, Map<String, List<String>> headers, byte[] body)
      throws FilterFailure, IOException, InterruptedException {
    SocketAddress a = endpoint.getEndpoint().getAddress().getSocketAddress();
    String address = a.getAddress() + ":" + a.getPortValue();
    if (filter == null) {
      return call(address, headers, body);
    }
    Metadata initial = new Metadata();
    for (HeaderValue h : filter.getGrpcService().getInitialMetadataList()) {
      initial.put(Metadata.Key.of(h.getKey(), Metadata.ASCII_STRING_MARSHALLER), h.getValue());
    }
    ExtProcStream ext =
        new ExtProcStream(
            processor.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(initial)),
            filter.hasMessageTimeout()
                ? Duration.ofSeconds(
                    filter.getMessageTimeout().getSeconds(), filter.getMessageTimeout().getNanos())
                : Duration.ofMillis(200)); // Envoy's default message_timeout
    try {
      return filtered(ext, filter, endpoint, address, headers, body);
    } catch (FilterFailure | IOException | InterruptedException | RuntimeException e) {
      ext.cancel(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      throw e;
    }
  }

  private Outcome filtered(
      ExtProcStream ext,
      ExternalProcessor filter,
      LbEndpoint endpoint,
      String address,
      Map<String, List<String>> headers,
      byte[] body)
      throws FilterFailure, IOException, InterruptedException {
    ProcessingMode mode = filter.getProcessingMode();
    Struct attributes = attributes(filter, endpoint);
    boolean attributesSent = false;
    if (mode.getRequestHeaderMode() != HeaderSendMode.SKIP) {
      ProcessingRequest.Builder message =
          ProcessingRequest.newBuilder()
              .setRequestHeaders(
                  HttpHeaders.newBuilder()
                      .setHeaders(PeerMutations.headerMap(headers))
                      .setEndOfStream(body.length == 0));
      if (attributes != null) {
        message.putAttributes(EXT_PROC, attributes);
        attributesSent = true;
      }
      ProcessingResponse reply =
          ext.exchange(
              message.build(),
              EnumSet.of(ResponseCase.REQUEST_HEADERS, ResponseCase.IMMEDIATE_RESPONSE));
      if (reply != null) {
        if (reply.hasImmediateResponse()) {
          return immediate(ext, reply.getImmediateResponse(), address, headers, body);
        }
        CommonResponse common = reply.getRequestHeaders().getResponse();
        applyHeaders(common, headers);
        if (common.getStatus() == CommonResponse.ResponseStatus.CONTINUE_AND_REPLACE) {
          throw new UnsupportedOperationException(
              "the Envoy peer does not play CONTINUE_AND_REPLACE in an upstream filter");
        }
      }
    }
    if (body.length > 0 && mode.getRequestBodyMode() != BodySendMode.NONE) {
      if (mode.getRequestBodyMode() != BodySendMode.BUFFERED) {
        throw new UnsupportedOperationException(
            "the Envoy peer plays upstream request bodies BUFFERED only");
      }
      ProcessingRequest.Builder message =
          ProcessingRequest.newBuilder()
              .setRequestBody(
                  HttpBody.newBuilder().setBody(ByteString.copyFrom(body)).setEndOfStream(true));
      if (attributes != null && !attributesSent) {
        message.putAttributes(EXT_PROC, attributes);
      }
      ProcessingResponse reply =
          ext.exchange(
              message.build(),
              EnumSet.of(ResponseCase.REQUEST_BODY, ResponseCase.IMMEDIATE_RESPONSE));
      if (reply != null) {
        if (reply.hasImmediateResponse()) {
          return immediate(ext, reply.getImmediateResponse(), address, headers, body);
        }
        CommonResponse common = reply.getRequestBody().getResponse();
        applyHeaders(common, headers);
        if (common.hasBodyMutation()) {
          byte[] replaced = FilterWalk.bodyAfter(body, common);
          FilterWalk.checkContentLength(headers, replaced);
          body = replaced;
        }
      }
    }
    Outcome outcome = call(address, headers, body);
    if (outcome.answer() == null) {
      ext.cancel("upstream failed");
      return outcome;
    }
    UpstreamResponse answer = outcome.answer();
    Map<String, List<String>> responseHeaders = copy(answer.headers());
    if (mode.getResponseHeaderMode() != HeaderSendMode.SKIP) {
      Map<String, List<String>> withStatus = new LinkedHashMap<>();
      withStatus.put(":status", new ArrayList<>(List.of(Integer.toString(answer.status()))));
      withStatus.putAll(responseHeaders);
      ProcessingResponse reply =
          ext.exchange(
              ProcessingRequest.newBuilder()
                  .setResponseHeaders(
                      HttpHeaders.newBuilder()
                          .setHeaders(PeerMutations.headerMap(withStatus))
                          .setEndOfStream(answer.contentLength() == 0))
                  .build(),
              EnumSet.of(ResponseCase.RESPONSE_HEADERS));
      if (reply != null) {
        applyHeaders(reply.getResponseHeaders().getResponse(), withStatus);
      }
      withStatus.remove(":status");
      responseHeaders = withStatus;
    }
    if (mode.getResponseBodyMode() != BodySendMode.NONE) {
      throw new UnsupportedOperationException(
          "the Envoy peer does not play response bodies through an upstream filter");
    }
    ext.finish();
    return new Outcome(
        new UpstreamResponse(answer.status(), responseHeaders, answer.body()), null, false);
  }

  private Outcome call(String address, Map<String, List<String>> headers, byte[] body)
      throws InterruptedException {
    Outcome outcome;
    try {
      outcome = new Outcome(endpoints.call(address, headers, body), null, false);
    } catch (FilterFailure f) {
      outcome = new Outcome(null, f, f.getCause() instanceof ConnectException);
    } catch (IOException e) {
      outcome = new Outcome(null, e, false);
    }
    attempts.accept(
        new AttemptRecord(
            address,
            copy(headers),
            body,
            outcome.answer() == null ? 0 : outcome.answer().status(),
            true));
    return outcome;
  }

  /** The upstream filter's local reply: that attempt's answer. */
  private Outcome immediate(
      ExtProcStream ext,
      ImmediateResponse reply,
      String address,
      Map<String, List<String>> request,
      byte[] requestBody)
      throws FilterFailure {
    int status =
        reply.hasStatus() && reply.getStatus().getCodeValue() > 0
            ? reply.getStatus().getCodeValue()
            : 200;
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (reply.hasHeaders()) {
      FilterWalk.applyMutation(reply.getHeaders(), headers);
    }
    byte[] body = reply.getBody().toByteArray();
    headers.putIfAbsent("content-type", new ArrayList<>(List.of("text/plain")));
    headers.put("content-length", new ArrayList<>(List.of(Integer.toString(body.length))));
    ext.halfClose();
    attempts.accept(new AttemptRecord(address, copy(request), requestBody, status, false));
    return new Outcome(
        new UpstreamResponse(status, headers, new ByteArrayInputStream(body)), null, false);
  }

  private static boolean retriable(Outcome outcome, Set<String> retryOn, RetryPolicy retry) {
    if (outcome.failure() != null) {
      // A refused connection is connect-failure; any other I/O failure before the answer, a reset.
      return outcome.connectFailure()
          ? retryOn.contains("connect-failure")
          : outcome.failure() instanceof IOException && retryOn.contains("reset");
    }
    int status = outcome.answer().status();
    return (retryOn.contains("5xx") && status >= 500)
        || (retryOn.contains("retriable-status-codes")
            && retry.getRetriableStatusCodesList().contains(status));
  }

  private static Set<String> retryConditions(RetryPolicy retry) {
    Set<String> out = new HashSet<>();
    if (retry.getRetryOn().isBlank()) {
      return out;
    }
    for (String c : retry.getRetryOn().split(",")) {
      String condition = c.strip();
      if (!RETRY_CONDITIONS.contains(condition)) {
        throw new UnsupportedOperationException(
            "the Envoy peer does not play retry_on " + condition);
      }
      out.add(condition);
    }
    return out;
  }

  private static boolean previousPriorities(RetryPolicy retry) {
    if (!retry.hasRetryPriority()) {
      return false;
    }
    if (!retry.getRetryPriority().getName().equals(PREVIOUS_PRIORITIES)) {
      throw new UnsupportedOperationException(
          "the Envoy peer does not play retry_priority " + retry.getRetryPriority().getName());
    }
    return true;
  }

  /** The cluster's endpoints by priority level (0 first). */
  private static List<List<LbEndpoint>> levels(Cluster cluster) {
    List<List<LbEndpoint>> levels = new ArrayList<>();
    for (LocalityLbEndpoints locality : cluster.getLoadAssignment().getEndpointsList()) {
      int p = locality.getPriority();
      while (levels.size() <= p) {
        levels.add(new ArrayList<>());
      }
      levels.get(p).addAll(locality.getLbEndpointsList());
    }
    for (int p = 0; p < levels.size(); p++) {
      if (levels.get(p).isEmpty()) {
        throw new IllegalArgumentException(
            "cluster " + cluster.getName() + " has no endpoints at priority " + p);
      }
    }
    if (levels.isEmpty()) {
      throw new IllegalArgumentException("cluster " + cluster.getName() + " has no endpoints");
    }
    return levels;
  }

  /** The cluster's upstream ext_proc filter, or null when it has no upstream filters. */
  private static ExternalProcessor upstreamExtProc(Cluster cluster) {
    if (!cluster.containsTypedExtensionProtocolOptions(PROTOCOL_OPTIONS)) {
      return null;
    }
    HttpProtocolOptions options;
    try {
      options =
          cluster
              .getTypedExtensionProtocolOptionsOrThrow(PROTOCOL_OPTIONS)
              .unpack(HttpProtocolOptions.class);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("cluster " + cluster.getName() + ": " + e, e);
    }
    List<HttpFilter> filters = options.getHttpFiltersList();
    if (filters.isEmpty()) {
      return null;
    }
    if (!filters.get(filters.size() - 1).getName().equals(UPSTREAM_CODEC)) {
      throw new IllegalArgumentException(
          "cluster "
              + cluster.getName()
              + ": the last upstream HTTP filter must be "
              + UPSTREAM_CODEC);
    }
    ExternalProcessor ext = null;
    for (HttpFilter f : filters.subList(0, filters.size() - 1)) {
      if (!f.getName().equals(EXT_PROC) || ext != null) {
        throw new UnsupportedOperationException(
            "the Envoy peer plays one upstream ext_proc filter only, not " + f.getName());
      }
      try {
        ext = f.getTypedConfig().unpack(ExternalProcessor.class);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("cluster " + cluster.getName() + ": " + e, e);
      }
    }
    return ext;
  }

  /** The {@code request_attributes} the filter asks for, for the chosen host. */
  private static Struct attributes(ExternalProcessor filter, LbEndpoint endpoint) {
    if (filter.getRequestAttributesCount() == 0) {
      return null;
    }
    Struct.Builder out = Struct.newBuilder();
    for (String name : filter.getRequestAttributesList()) {
      Matcher m = HOST_METADATA_PATH.matcher(name);
      if (m.matches()) {
        Struct ns = endpoint.getMetadata().getFilterMetadataMap().get(m.group(1));
        Value v = ns == null ? null : ns.getFieldsMap().get(m.group(2));
        if (v != null) {
          out.putFields(name, v);
        }
      } else if (name.equals(HOST_METADATA)) {
        Struct.Builder filterMetadata = Struct.newBuilder();
        endpoint
            .getMetadata()
            .getFilterMetadataMap()
            .forEach(
                (k, v) ->
                    filterMetadata.putFields(k, Value.newBuilder().setStructValue(v).build()));
        out.putFields(
            name,
            Value.newBuilder()
                .setStructValue(
                    Struct.newBuilder()
                        .putFields(
                            "filter_metadata",
                            Value.newBuilder().setStructValue(filterMetadata).build()))
                .build());
      } else {
        throw new UnsupportedOperationException(
            "the Envoy peer does not provide the attribute " + name);
      }
    }
    return out.build();
  }

  private static void applyHeaders(CommonResponse common, Map<String, List<String>> headers)
      throws FilterFailure {
    if (common.hasHeaderMutation()) {
      FilterWalk.applyMutation(common.getHeaderMutation(), headers);
    }
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
    return out;
  }
}
