package io.semroute.peer;

import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse.ResponseCase;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ext_proc stream (one per HTTP request), driven the way Envoy's filter drives it outside
 * FULL_DUPLEX_STREAMED: a message, then exactly one reply of the matching type within {@code
 * message_timeout}. The failure policy is Envoy's fail-closed one ({@code failure_mode_allow:
 * false}): a stream error or a spurious reply fails the request with 500, a timeout with 504; a
 * clean close by the router means "go on without the processor".
 */
final class ExtProcStream {
  private static final Logger log = LoggerFactory.getLogger(ExtProcStream.class);

  /** Marks the router's clean close in the inbox. */
  private static final Object CLOSED = new Object();

  private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final long timeoutMillis;
  private final StreamObserver<ProcessingRequest> outbound;
  private final List<MessageReply> trace = new ArrayList<>();
  private boolean routerGone;
  private boolean halfClosed;

  ExtProcStream(ExternalProcessorGrpc.ExternalProcessorStub stub, Duration messageTimeout) {
    this.timeoutMillis = messageTimeout.toMillis();
    this.outbound =
        stub.process(
            new StreamObserver<>() {
              @Override
              public void onNext(ProcessingResponse reply) {
                inbox.add(reply);
              }

              @Override
              public void onError(Throwable error) {
                inbox.add(error);
              }

              @Override
              public void onCompleted() {
                inbox.add(CLOSED);
              }
            });
  }

  /** True once the router closed the stream cleanly: the rest of the request goes on without it. */
  public boolean routerGone() {
    return routerGone;
  }

  /**
   * Sends one message and waits for its reply.
   *
   * @return the reply, or null when the router closed the stream cleanly instead
   * @throws FilterFailure 500 for a stream error or a reply of the wrong type, 504 on timeout
   */
  public ProcessingResponse exchange(ProcessingRequest message, Set<ResponseCase> allowed)
      throws FilterFailure, InterruptedException {
    if (routerGone) {
      return null;
    }
    outbound.onNext(message);
    Object got = inbox.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    if (got == null) {
      throw new FilterFailure(
          504,
          "ext_proc: no reply to "
              + message.getRequestCase()
              + " within message_timeout ("
              + timeoutMillis
              + " ms)");
    }
    if (got == CLOSED) {
      routerGone = true;
      return null;
    }
    if (got instanceof Throwable error) {
      routerGone = true;
      throw new FilterFailure(
          500, "ext_proc: stream failed on " + message.getRequestCase() + ": " + error, error);
    }
    ProcessingResponse reply = (ProcessingResponse) got;
    trace.add(new MessageReply(message, reply));
    if (!allowed.contains(reply.getResponseCase())) {
      throw new FilterFailure(
          500,
          "ext_proc: spurious reply "
              + reply.getResponseCase()
              + " to "
              + message.getRequestCase());
    }
    return reply;
  }

  /** Every message answered so far, with its reply, in order. */
  public List<MessageReply> trace() {
    return List.copyOf(trace);
  }

  /** Half-closes the stream (after the last message, or when the request ends early). */
  public void halfClose() {
    if (!halfClosed) {
      halfClosed = true;
      try {
        outbound.onCompleted();
      } catch (RuntimeException e) {
        log.debug("half-closing an ext_proc stream failed", e);
      }
    }
  }

  /**
   * Half-closes and waits (up to the message timeout) for the router to end the stream.
   *
   * @return null when the router ended it cleanly, else what went wrong (an extra reply after the
   *     last message, or no end within the timeout): the caller decides what it costs (the gateway
   *     logs it, the benchmark counts an error, the test emulator fails the test)
   */
  public String finish() throws InterruptedException {
    halfClose();
    if (routerGone) {
      return null;
    }
    String problem = null;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    for (long left; (left = deadline - System.nanoTime()) > 0; ) {
      Object got = inbox.poll(left, TimeUnit.NANOSECONDS);
      if (got == null) {
        break;
      }
      if (got == CLOSED || got instanceof Throwable) {
        routerGone = true;
        return problem;
      }
      problem =
          "extra reply "
              + ((ProcessingResponse) got).getResponseCase()
              + " after the last message (Envoy would fail the request)";
      log.warn("ext_proc: {}", problem);
    }
    String timeout =
        "the router did not end the stream within " + timeoutMillis + " ms of the last message";
    log.warn("ext_proc: {}", timeout);
    return problem != null ? problem : timeout;
  }

  /** Abandons the stream (the client went away or the request failed). */
  public void cancel(String why) {
    if (!routerGone && !halfClosed) {
      try {
        outbound.onError(Status.CANCELLED.withDescription(why).asRuntimeException());
      } catch (RuntimeException e) {
        log.debug("cancelling an ext_proc stream failed", e);
      }
      halfClosed = true;
    }
  }
}
