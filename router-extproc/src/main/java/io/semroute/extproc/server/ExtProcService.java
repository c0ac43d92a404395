package io.semroute.extproc.server;

import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.stub.StreamObserver;
import io.semroute.extproc.attempt.AttemptPass;
import io.semroute.extproc.envoy.Replies;
import io.semroute.extproc.metrics.FleetMetrics;
import io.semroute.extproc.openai.OpenAiErrors;
import io.semroute.extproc.pipeline.RequestInfo;
import io.semroute.extproc.pipeline.RouterSnapshot;
import io.semroute.extproc.processor.Processor;
import io.semroute.extproc.processor.Processors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code envoy.service.ext_proc.v3.ExternalProcessor}: one stream per HTTP request, one reply of
 * the matching type per message, in order. At stream start it takes the current {@link
 * RouterSnapshot} (so one request sees one config); on the request headers it picks the request's
 * {@link Processor} and from then on only dispatches to it.
 *
 * <p>A processor failure never produces a wrong reply type: on the request path it becomes a 500
 * OpenAI error (an ImmediateResponse is valid there), on the response path the message is let
 * through unchanged (an ImmediateResponse there could reset a response already under way).
 */
public final class ExtProcService extends ExternalProcessorGrpc.ExternalProcessorImplBase {
  public static final String SERVICE_NAME = ExternalProcessorGrpc.SERVICE_NAME;

  private static final Logger log = LoggerFactory.getLogger(ExtProcService.class);

  private final Supplier<RouterSnapshot> snapshots;
  private final Processors processors;

  private final FleetMetrics fleetMetrics;

  public ExtProcService(Supplier<RouterSnapshot> snapshots, Processors processors) {
    this(snapshots, processors, null);
  }

  /**
   * @param fleetMetrics where the upstream pass counts fallbacks, or null
   */
  public ExtProcService(
      Supplier<RouterSnapshot> snapshots, Processors processors, FleetMetrics fleetMetrics) {
    this.snapshots = snapshots;
    this.processors = processors;
    this.fleetMetrics = fleetMetrics;
  }

  @Override
  public StreamObserver<ProcessingRequest> process(StreamObserver<ProcessingResponse> replies) {
    long startNanos = System.nanoTime();
    RouterSnapshot snapshot = snapshots.get();
    if (FilterPhase.UPSTREAM.get()) {
      return upstreamPass(snapshot, replies);
    }
    return new StreamObserver<>() {
      private Processor processor = processors.beforeHeaders(startNanos);
      private boolean done;

      @Override
      public void onNext(ProcessingRequest message) {
        if (message.hasRequestHeaders()) {
          processor =
              processors.select(
                  RequestInfo.of(message.getRequestHeaders().getHeaders(), startNanos), snapshot);
        }
        ProcessingResponse reply = dispatch(message, processor);
        if (reply != null) {
          replies.onNext(reply);
        }
      }

      @Override
      public void onError(Throwable t) {
        // Envoy resets the stream when the client goes away or a timeout fires; not our error.
        log.debug("stream {} ended by Envoy: {}", processor.info().requestId(), t.toString());
        finish(true);
      }

      @Override
      public void onCompleted() {
        replies.onCompleted();
        finish(false);
      }

      private void finish(boolean cancelled) {
        if (done) {
          return;
        }
        done = true;
        try {
          processor.finish(cancelled);
        } catch (RuntimeException e) {
          log.warn("request listener failed", e);
        }
      }
    };
  }

  /**
   * A stream from a fallback cluster's upstream filter: one attempt of a request the downstream
   * pass already decided ({@link AttemptPass}). Its failures are let through like the response
   * path's, except on the request messages, where a 500 is a valid answer.
   */
  private StreamObserver<ProcessingRequest> upstreamPass(
      RouterSnapshot snapshot, StreamObserver<ProcessingResponse> replies) {
    AttemptPass pass = new AttemptPass(snapshot.config(), snapshot.limits(), fleetMetrics);
    return new StreamObserver<>() {
      @Override
      public void onNext(ProcessingRequest message) {
        ProcessingResponse reply;
        try {
          reply =
              switch (message.getRequestCase()) {
                case REQUEST_HEADERS -> pass.requestHeaders(message);
                case REQUEST_BODY -> pass.requestBody(message.getRequestBody());
                case REQUEST_TRAILERS -> Replies.requestTrailersContinue();
                case RESPONSE_HEADERS -> pass.responseHeaders(message.getResponseHeaders());
                case RESPONSE_BODY -> Replies.responseBodyContinue();
                case RESPONSE_TRAILERS -> Replies.responseTrailersContinue();
                case REQUEST_NOT_SET -> null;
              };
        } catch (RuntimeException e) {
          log.error(
              "upstream pass failed on {} of request {}",
              message.getRequestCase(),
              pass.requestId(),
              e);
          reply = upstreamFallback(message);
        }
        if (reply != null) {
          replies.onNext(reply);
        }
      }

      @Override
      public void onError(Throwable t) {
        log.debug("upstream stream {} ended by Envoy: {}", pass.requestId(), t.toString());
        pass.ended(true);
      }

      @Override
      public void onCompleted() {
        replies.onCompleted();
        pass.ended(false);
      }
    };
  }

  private static ProcessingResponse upstreamFallback(ProcessingRequest message) {
    return switch (message.getRequestCase()) {
      case REQUEST_HEADERS, REQUEST_BODY ->
          Replies.immediateJson(
              500,
              OpenAiErrors.body("internal semantic router error", "server_error", null, "internal"),
              "semantic-router: internal error");
      case REQUEST_TRAILERS -> Replies.requestTrailersContinue();
      case RESPONSE_HEADERS -> Replies.responseHeadersContinue();
      case RESPONSE_BODY -> Replies.responseBodyContinue();
      case RESPONSE_TRAILERS -> Replies.responseTrailersContinue();
      case REQUEST_NOT_SET -> null;
    };
  }

  private static ProcessingResponse dispatch(ProcessingRequest message, Processor processor) {
    try {
      return switch (message.getRequestCase()) {
        case REQUEST_HEADERS -> processor.requestHeaders(message.getRequestHeaders());
        case REQUEST_BODY -> processor.requestBody(message.getRequestBody());
        case REQUEST_TRAILERS -> Replies.requestTrailersContinue();
        case RESPONSE_HEADERS -> processor.responseHeaders(message.getResponseHeaders());
        case RESPONSE_BODY -> processor.responseBody(message.getResponseBody());
        case RESPONSE_TRAILERS -> Replies.responseTrailersContinue();
        case REQUEST_NOT_SET -> {
          // Nothing to answer: any reply would be spurious.
          log.warn(
              "ignoring an empty ProcessingRequest on stream {}", processor.info().requestId());
          yield null;
        }
      };
    } catch (RuntimeException e) {
      log.error(
          "handler failed on {} of request {}",
          message.getRequestCase(),
          processor.info().requestId(),
          e);
      return fallback(message, processor);
    }
  }

  private static ProcessingResponse fallback(ProcessingRequest message, Processor processor) {
    return switch (message.getRequestCase()) {
      case REQUEST_HEADERS, REQUEST_BODY -> {
        processor.answeredLocally(500);
        yield Replies.immediateJson(
            500,
            OpenAiErrors.body("internal semantic router error", "server_error", null, "internal"),
            "semantic-router: internal error");
      }
      case REQUEST_TRAILERS -> Replies.requestTrailersContinue();
      case RESPONSE_HEADERS -> Replies.responseHeadersContinue();
      case RESPONSE_BODY -> Replies.responseBodyContinue();
      case RESPONSE_TRAILERS -> Replies.responseTrailersContinue();
      case REQUEST_NOT_SET -> null;
    };
  }
}
