package io.semroute.peer;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;

/** One ext_proc message Envoy sent and the processor's reply to it. */
public record MessageReply(ProcessingRequest message, ProcessingResponse reply) {}
