package io.semroute.extproc.server;

import io.semroute.extproc.guard.PiiFindings;
import io.semroute.extproc.decision.DecisionEngine;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.openai.RequestKind;
import io.semroute.extproc.openai.UsageReader;

/**
 * Everything one ext_proc stream (= one HTTP request) remembers between its messages. Touched
 * only by that stream's gRPC callbacks, which grpc-java serialises.
 */
public final class StreamState {
  /** The engine (and with it the config) the whole request is decided against. */
  final DecisionEngine engine;

  final long startNanos = System.nanoTime();
  String method;
  String path;
  String requestId;
  String accept;
  /** Non-null when this request is one the router reads and rewrites. */
  RequestKind kind;

  RoutingDecision decision;
  /** PII types the guards noticed (never the values). */
  PiiFindings pii = PiiFindings.NONE;
  /** Status of a local reply the router sent, or 0. */
  int immediateStatus;
  int responseStatus;
  boolean responseStreamed;
  UsageReader usageReader;

  StreamState(DecisionEngine engine) {
    this.engine = engine;
  }

  public RequestRecord toRecord(boolean cancelled) {
    return new RequestRecord(
        requestId,
        method,
        path,
        decision,
        immediateStatus,
        responseStatus,
        responseStreamed,
        usageReader == null ? null : usageReader.usage(),
        System.nanoTime() - startNanos,
        cancelled);
  }
}
