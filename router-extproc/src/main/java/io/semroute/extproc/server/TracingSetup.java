package io.semroute.extproc.server;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.semroute.config.OperationsSettings;
import io.semroute.extproc.pipeline.Tracing;

/** Builds the OpenTelemetry SDK for {@code tracing:} (read at start-up; changes need a restart). */
final class TracingSetup implements AutoCloseable {
  private final OpenTelemetrySdk sdk;
  private final Tracing tracing;

  private TracingSetup(OpenTelemetrySdk sdk, Tracing tracing) {
    this.sdk = sdk;
    this.tracing = tracing;
  }

  static TracingSetup of(OperationsSettings.Tracing cfg) {
    if (!cfg.enabled()) {
      return new TracingSetup(null, Tracing.OFF);
    }
    SdkTracerProviderBuilder provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(
                                AttributeKey.stringKey("service.name"), cfg.serviceName()))))
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(cfg.sampleRatio())));
    if (cfg.otlpEndpoint() != null) {
      provider.addSpanProcessor(
          BatchSpanProcessor.builder(
                  OtlpHttpSpanExporter.builder().setEndpoint(cfg.otlpEndpoint()).build())
              .build());
    }
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(provider.build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    return new TracingSetup(sdk, Tracing.of(sdk));
  }

  Tracing tracing() {
    return tracing;
  }

  @Override
  public void close() {
    if (sdk != null) {
      sdk.close();
    }
  }
}
