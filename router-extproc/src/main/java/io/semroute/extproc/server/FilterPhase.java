package io.semroute.extproc.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.semroute.extproc.attempt.AttemptHeaders;

/**
 * Which of Envoy's two ext_proc filters opened a stream: the listener's (the downstream pass, one
 * stream per request) or a fallback cluster's upstream filter (one stream per attempt), told apart
 * by the {@link AttemptHeaders#PHASE_METADATA} gRPC metadata the upstream filter's {@code
 * grpc_service.initial_metadata} sends.
 */
final class FilterPhase implements ServerInterceptor {
  private static final Metadata.Key<String> PHASE =
      Metadata.Key.of(AttemptHeaders.PHASE_METADATA, Metadata.ASCII_STRING_MARSHALLER);

  /** True in a stream the upstream filter opened. */
  static final Context.Key<Boolean> UPSTREAM = Context.keyWithDefault("vsr-upstream-pass", false);

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    boolean upstream = AttemptHeaders.UPSTREAM_PHASE.equals(headers.get(PHASE));
    return Contexts.interceptCall(
        Context.current().withValue(UPSTREAM, upstream), call, headers, next);
  }
}
