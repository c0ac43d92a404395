package io.semroute.peer;

import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode;
import java.time.Duration;

/**
 * The ext_proc filter's settings a {@link FilterWalk} plays by.
 *
 * @param mode the processing mode each request starts with
 * @param allowModeOverride whether a headers reply's {@code mode_override} is honoured
 * @param bufferLimitBytes request (and BUFFERED response) bodies above it are refused
 * @param messageTimeout how long each message waits for its reply
 */
public record FilterSettings(
    ProcessingMode mode,
    boolean allowModeOverride,
    long bufferLimitBytes,
    Duration messageTimeout) {

  /** The processing mode of deploy/envoy/envoy.yaml's ext_proc filter. */
  public static final ProcessingMode ENVOY_YAML_MODE =
      ProcessingMode.newBuilder()
          .setRequestHeaderMode(HeaderSendMode.SEND)
          .setResponseHeaderMode(HeaderSendMode.SEND)
          .setRequestBodyMode(BodySendMode.BUFFERED)
          .setResponseBodyMode(BodySendMode.BUFFERED)
          .setRequestTrailerMode(HeaderSendMode.SKIP)
          .setResponseTrailerMode(HeaderSendMode.SKIP)
          .build();

  /** deploy/envoy/envoy.yaml's buffer limit (50 MiB). */
  public static final long ENVOY_YAML_BUFFER_LIMIT_BYTES = 50L * 1024 * 1024;

  /** deploy/envoy/envoy.yaml's settings with the given message timeout. */
  public static FilterSettings envoyYaml(Duration messageTimeout) {
    return new FilterSettings(ENVOY_YAML_MODE, true, ENVOY_YAML_BUFFER_LIMIT_BYTES, messageTimeout);
  }
}
