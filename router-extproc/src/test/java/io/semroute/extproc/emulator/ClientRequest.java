package io.semroute.extproc.emulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a client sends to Envoy's listener. Header names are lower-cased like HTTP/2. */
public record ClientRequest(String method, String path, Map<String, String> headers, byte[] body) {
  public ClientRequest {
    Map<String, String> lower = new LinkedHashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(), v));
    headers = lower;
    body = body == null ? new byte[0] : body;
  }

  public static ClientRequest get(String path) {
    return new ClientRequest("GET", path, Map.of(), new byte[0]);
  }

  public static ClientRequest postJson(String path, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("content-type", "application/json");
    h.put("content-length", Integer.toString(bytes.length));
    return new ClientRequest("POST", path, h, bytes);
  }

  public ClientRequest withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name.toLowerCase(), value);
    return new ClientRequest(method, path, h, body);
  }
}
