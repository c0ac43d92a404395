package io.semroute.extproc.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.extproc.openai.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One request played through the emulator: what the client got back, what went upstream, and every
 * ext_proc message exchanged on the way.
 *
 * @param localReply true when Envoy answered itself (router ImmediateResponse, 413, 404 NR, ...)
 * @param upstream the request as forwarded upstream, or null for a local reply
 * @param bodyChunks response body pieces in the order they were released to the client
 */
public record Exchange(
    int status,
    Map<String, List<String>> headers,
    byte[] body,
    List<byte[]> bodyChunks,
    boolean localReply,
    UpstreamRequest upstream,
    List<Step> trace) {

  /** One ext_proc message and the router's reply to it. */
  public record Step(
      ProcessingRequest.RequestCase sent, ProcessingRequest request, ProcessingResponse reply) {}

  /** The request Envoy sent upstream after applying the router's mutations. */
  public record UpstreamRequest(
      String route,
      String cluster,
      String endpoint,
      Map<String, List<String>> headers,
      byte[] body) {
    public String header(String name) {
      List<String> v = headers.get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    public JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public String header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public JsonNode json() {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("response body is not JSON: " + bodyText(), e);
    }
  }

  public ProcessingResponse replyTo(ProcessingRequest.RequestCase phase) {
    return trace.stream()
        .filter(s -> s.sent() == phase)
        .map(Step::reply)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + phase + " message was exchanged"));
  }
}
