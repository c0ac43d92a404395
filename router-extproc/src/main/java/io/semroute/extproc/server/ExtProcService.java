package io.semroute.extproc.server;

import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.stub.StreamObserver;
import io.semroute.extproc.decision.DecisionEngine;
import io.semroute.extproc.openai.OpenAiErrors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code envoy.service.ext_proc.v3.ExternalProcessor}: one stream per HTTP request, one reply of
 * the matching type per message, in order. The loop only dispatches; each phase has its handler.
 *
 * <p>A handler failure never produces a wrong reply type: on the request path it becomes a 500
 * OpenAI error (an ImmediateResponse is valid there), on the response path the message is let
 * through unchanged (an ImmediateResponse there could reset a response already under way).
 */
public final class ExtProcService extends ExternalProcessorGrpc.ExternalProcessorImplBase {
  public static final String SERVICE_NAME = ExternalProcessorGrpc.SERVICE_NAME;

  private static final Logger log = LoggerFactory.getLogger(ExtProcService.class);

  private final Supplier<DecisionEngine> engines;
  private final RequestHeadersHandler requestHeaders;
  private final RequestBodyHandler requestBody;
  private final ResponseHeadersHandler responseHeaders = new ResponseHeadersHandler();
  private final ResponseBodyHandler responseBody = new ResponseBodyHandler();
  private final RequestListener listener;

  public ExtProcService(
      Supplier<DecisionEngine> engines,
      RequestHeadersHandler requestHeaders,
      RequestBodyHandler requestBody,
      RequestListener listener) {
    this.engines = engines;
    this.requestHeaders = requestHeaders;
    this.requestBody = requestBody;
    this.listener = listener;
  }

  @Override
  public StreamObserver<ProcessingRequest> process(StreamObserver<ProcessingResponse> replies) {
    StreamState state = new StreamState(engines.get());
    return new StreamObserver<>() {
      private boolean done;

      @Override
      public void onNext(ProcessingRequest message) {
        ProcessingResponse reply = dispatch(message, state);
        if (reply != null) {
          replies.onNext(reply);
        }
      }

      @Override
      public void onError(Throwable t) {
        // Envoy resets the stream when the client goes away or a timeout fires; not our error.
        log.debug("stream {} ended by Envoy: {}", state.requestId, t.toString());
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
          listener.onRequestDone(state.toRecord(cancelled));
        } catch (RuntimeException e) {
          log.warn("request listener failed", e);
        }
      }
    };
  }

  private ProcessingResponse dispatch(ProcessingRequest message, StreamState state) {
    try {
      return switch (message.getRequestCase()) {
        case REQUEST_HEADERS -> requestHeaders.handle(message.getRequestHeaders(), state);
        case REQUEST_BODY -> requestBody.handle(message.getRequestBody(), state);
        case REQUEST_TRAILERS -> Replies.requestTrailersContinue();
        case RESPONSE_HEADERS -> responseHeaders.handle(message.getResponseHeaders(), state);
        case RESPONSE_BODY -> responseBody.handle(message.getResponseBody(), state);
        case RESPONSE_TRAILERS -> Replies.responseTrailersContinue();
        case REQUEST_NOT_SET -> {
          // Nothing to answer: any reply would be spurious.
          log.warn("ignoring an empty ProcessingRequest on stream {}", state.requestId);
          yield null;
        }
      };
    } catch (RuntimeException e) {
      log.error("handler failed on {} of request {}", message.getRequestCase(), state.requestId, e);
      return fallback(message, state);
    }
  }

  private static ProcessingResponse fallback(ProcessingRequest message, StreamState state) {
    return switch (message.getRequestCase()) {
      case REQUEST_HEADERS, REQUEST_BODY -> {
        state.immediateStatus = 500;
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
