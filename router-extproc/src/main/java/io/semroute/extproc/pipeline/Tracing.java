package io.semroute.extproc.pipeline;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.semroute.extproc.decision.RoutingDecision;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenTelemetry spans for routed requests: one {@code ext_proc} span per stream (SERVER kind,
 * continuing the W3C {@code traceparent} Envoy forwards), and one child span per request stage.
 * {@link #OFF} (the default) makes nothing: the spans are no-ops.
 */
public final class Tracing {
  public static final Tracing OFF = new Tracing(OpenTelemetry.noop());

  private final OpenTelemetry otel;
  private final Tracer tracer;

  private Tracing(OpenTelemetry otel) {
    this.otel = otel;
    this.tracer = otel.getTracer("io.semroute.extproc");
  }

  public static Tracing of(OpenTelemetry otel) {
    return new Tracing(otel);
  }

  /** Starts the stream's span, a child of the request's {@code traceparent} when it has one. */
  Span startStream(RequestInfo info) {
    Context parent =
        otel.getPropagators().getTextMapPropagator().extract(Context.root(), info, HEADERS);
    return tracer
        .spanBuilder("ext_proc " + (info.path() == null ? "" : info.path()))
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute("http.request.method", info.method() == null ? "" : info.method())
        .setAttribute("url.path", info.path() == null ? "" : info.path())
        .setAttribute("semroute.request_id", info.requestId() == null ? "" : info.requestId())
        .startSpan();
  }

  /** A span for one stage, child of the stream's span; close it when the stage returns. */
  StageSpan stage(RequestContext ctx, String name) {
    Span parent = ctx.streamSpan();
    if (!parent.getSpanContext().isValid()) {
      return StageSpan.NONE;
    }
    Span span = tracer.spanBuilder(name).setParent(Context.root().with(parent)).startSpan();
    return new StageSpan(span);
  }

  /** Ends the stream's span with what happened (the summary; null when it could not be made). */
  static void endStream(Span span, RequestSummary s) {
    if (!span.getSpanContext().isValid()) {
      return;
    }
    if (s != null) {
      RoutingDecision d = s.decision();
      if (d != null) {
        span.setAttribute("semroute.model", d.model());
        span.setAttribute("semroute.category", d.categoryLabel());
        span.setAttribute("semroute.reason", d.reason());
      }
      if (s.immediateStatus() != 0) {
        span.setAttribute("semroute.immediate_status", s.immediateStatus());
      }
      if (s.responseStatus() != 0) {
        span.setAttribute("http.response.status_code", s.responseStatus());
      }
      if (s.cancelled() || s.immediateStatus() >= 500 || s.responseStatus() >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
    }
    span.end();
  }

  /** A stage's span; a no-op when tracing is off. */
  public static final class StageSpan implements AutoCloseable {
    static final StageSpan NONE = new StageSpan(null);
    private final Span span;

    private StageSpan(Span span) {
      this.span = span;
    }

    @Override
    public void close() {
      if (span != null) {
        span.end();
      }
    }
  }

  // keys() is deprecated in the API but still abstract: every getter must implement it.
  @SuppressWarnings("deprecation")
  private static final TextMapGetter<RequestInfo> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(RequestInfo info) {
          List<String> keys = new ArrayList<>(2);
          if (info.traceparent() != null) {
            keys.add("traceparent");
          }
          if (info.tracestate() != null) {
            keys.add("tracestate");
          }
          return keys;
        }

        @Override
        public String get(RequestInfo info, String key) {
          if (info == null) {
            return null;
          }
          return switch (key) {
            case "traceparent" -> info.traceparent();
            case "tracestate" -> info.tracestate();
            default -> null;
          };
        }
      };
}
