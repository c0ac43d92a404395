package io.semroute.extproc.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.config.RouterConfig;
import java.util.LinkedHashSet;
import java.util.Set;

/** The router's answer to {@code GET /v1/models}: the auto names plus every configured model. */
public final class ModelList {
  private ModelList() {}

  public static byte[] body(RouterConfig cfg, long createdEpochSeconds) {
    Set<String> ids = new LinkedHashSet<>(cfg.autoModelNames().stream().sorted().toList());
    ids.addAll(cfg.models().keySet());
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (String id : ids) {
      ObjectNode m = data.addObject();
      m.put("id", id);
      m.put("object", "model");
      m.put("created", createdEpochSeconds);
      m.put("owned_by", cfg.isAutoModel(id) ? "semantic-router" : "vllm");
    }
    try {
      return Json.MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
