package io.semroute.extproc.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.config.SessionSettings;
import io.semroute.extproc.cache.TenantPartition;
import io.semroute.extproc.clientapi.JsonText;
import io.semroute.extproc.openai.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the router remembers across requests so a conversation stays on its model: the tool-call ids
 * an answer issued, the Responses ids it returned (with the translated conversation when the
 * backend kept none), and each session's model. Every key is scoped to a tenant (a hash of the
 * client's credentials), so one client can never continue another's conversation. The store follows
 * {@code session.backend}; it outlives config reloads (a reload that changes the backend starts a
 * new store).
 */
public final class ConversationMemory {
  private final Map<Object, ConversationStore> stores = new ConcurrentHashMap<>();
  private final Function<SessionSettings, ConversationStore> opener;

  /** Memory or Redis, as the settings say. */
  public ConversationMemory() {
    this(
        s ->
            s.backend() == SessionSettings.Backend.REDIS
                ? new RedisConversationStore(s.redis())
                : new MemoryConversationStore());
  }

  public ConversationMemory(Function<SessionSettings, ConversationStore> opener) {
    this.opener = opener;
  }

  private ConversationStore store(SessionSettings s) {
    Object key = s.backend() == SessionSettings.Backend.REDIS ? s.redis() : "memory";
    return stores.computeIfAbsent(key, k -> opener.apply(s));
  }

  /**
   * The tenant of a request: a hash of its {@code authorization} and {@code x-api-key} headers (the
   * two ways the OpenAI and Anthropic SDKs send a key); clients without either share one.
   */
  public static String tenant(Function<String, String> header) {
    String auth = header.apply("authorization");
    String key = header.apply("x-api-key");
    return TenantPartition.digest((auth == null ? "" : auth) + "\n" + (key == null ? "" : key));
  }

  public void rememberToolCalls(SessionSettings s, String tenant, List<String> ids, Pin pin) {
    String value = JsonText.of(pinNode(pin));
    for (String id : ids) {
      store(s).put(tenant + ":t:" + id, value, ttl(s));
    }
  }

  /** The model that issued this tool call, or null when the router did not see it. */
  public Pin toolCall(SessionSettings s, String tenant, String id) {
    JsonNode n = read(store(s).get(tenant + ":t:" + id));
    return n == null ? null : pin(n);
  }

  public void rememberResponse(SessionSettings s, String tenant, String id, StoredResponse r) {
    ObjectNode n = pinNode(r.pin());
    if (r.conversation() != null) {
      ArrayNode messages = n.putArray("conversation");
      r.conversation().forEach(messages::add);
    }
    store(s).put(tenant + ":r:" + id, JsonText.of(n), ttl(s));
  }

  /** The response a follow-up names, or null when the router did not see it (or it expired). */
  public StoredResponse response(SessionSettings s, String tenant, String id) {
    JsonNode n = read(store(s).get(tenant + ":r:" + id));
    if (n == null) {
      return null;
    }
    List<ObjectNode> conversation = null;
    if (n.path("conversation").isArray()) {
      conversation = new ArrayList<>();
      for (JsonNode m : n.get("conversation")) {
        conversation.add((ObjectNode) m);
      }
    }
    return new StoredResponse(pin(n), conversation);
  }

  public void rememberSession(SessionSettings s, String tenant, String session, Pin pin) {
    store(s).put(tenant + ":s:" + session, JsonText.of(pinNode(pin)), ttl(s));
  }

  /** The session's model, or null for a new (or expired) session. */
  public Pin session(SessionSettings s, String tenant, String session) {
    JsonNode n = read(store(s).get(tenant + ":s:" + session));
    return n == null ? null : pin(n);
  }

  private static Duration ttl(SessionSettings s) {
    return Duration.ofSeconds(s.ttlSeconds());
  }

  private static ObjectNode pinNode(Pin pin) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("model", pin.model());
    n.put("reasoning", pin.reasoning());
    if (pin.effort() != null) {
      n.put("effort", pin.effort());
    }
    if (pin.backend() != null) {
      n.put("backend", pin.backend());
    }
    return n;
  }

  private static Pin pin(JsonNode n) {
    return new Pin(
        n.path("model").asText(),
        n.path("reasoning").asBoolean(false),
        n.path("effort").isTextual() ? n.get("effort").asText() : null,
        n.path("backend").isTextual() ? n.get("backend").asText() : null);
  }

  private static JsonNode read(String value) {
    if (value == null) {
      return null;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(value);
      return n != null && n.isObject() && n.path("model").isTextual() ? n : null;
    } catch (IOException e) {
      return null; // written by another version: routed afresh
    }
  }
}
