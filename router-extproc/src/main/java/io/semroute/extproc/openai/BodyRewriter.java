package io.semroute.extproc.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.config.Category;
import io.semroute.config.ReasoningFamily;
import io.semroute.config.RouterConfig;
import io.semroute.config.SystemPrompt;
import java.util.Optional;

/**
 * Shapes an {@code auto} request for the model it was routed to: the {@code model} field, the model
 * family's reasoning switch (set explicitly on <em>and</em> off, so a client's stale value never
 * leaks through), and the category's system prompt.
 */
public final class BodyRewriter {
  /**
   * What the body is rewritten for.
   *
   * @param model the model routed to
   * @param category the category whose system prompt applies, or null
   * @param reasoning whether the model family's reasoning switch is set on
   * @param reasoningEffort low|medium|high when reasoning is on, else null
   */
  /**
   * @param category the category whose system prompt applies, or null
   * @param decided true when a {@code decisions:} entry chose: then {@code systemPrompt} (may be
   *     null = none) applies instead of the category's
   */
  public record Target(
      String model,
      String category,
      boolean reasoning,
      String reasoningEffort,
      boolean decided,
      SystemPrompt systemPrompt) {
    public Target(String model, String category, boolean reasoning, String reasoningEffort) {
      this(model, category, reasoning, reasoningEffort, false, null);
    }
  }

  private BodyRewriter() {}

  public static byte[] rewrite(ParsedRequest request, Target decision, RouterConfig cfg) {
    ObjectNode body = request.body();
    body.put("model", decision.model());
    cfg.reasoningFamilyOf(decision.model()).ifPresent(f -> setReasoning(body, f, decision));
    if (request.kind() == RequestKind.CHAT_COMPLETIONS && decision.decided()) {
      if (decision.systemPrompt() != null) {
        applySystemPrompt(body, decision.systemPrompt());
      }
    } else if (request.kind() == RequestKind.CHAT_COMPLETIONS && decision.category() != null) {
      Optional<SystemPrompt> prompt = cfg.category(decision.category()).map(Category::systemPrompt);
      prompt.ifPresent(p -> applySystemPrompt(body, p));
    }
    try {
      return Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A body already shaped for {@code previousModel}, shaped for {@code model} instead (a later
   * attempt of the same request): the {@code model} field and the reasoning switch of the new
   * model's family; the previous family's switch is removed when the new model has another one (or
   * none). The system prompt is left as it is: it is the decision's or category's, not the model's.
   */
  public static byte[] retarget(
      ObjectNode body,
      String previousModel,
      String model,
      boolean reasoning,
      String reasoningEffort,
      RouterConfig cfg) {
    body.put("model", model);
    Optional<ReasoningFamily> before = cfg.reasoningFamilyOf(previousModel);
    Optional<ReasoningFamily> after = cfg.reasoningFamilyOf(model);
    if (before.isPresent() && !before.equals(after)) {
      ReasoningFamily f = before.get();
      switch (f.type()) {
        case CHAT_TEMPLATE_KWARGS -> {
          if (body.get("chat_template_kwargs") instanceof ObjectNode kwargs) {
            kwargs.remove(f.parameter());
            if (kwargs.isEmpty()) {
              body.remove("chat_template_kwargs");
            }
          }
        }
        case REASONING_EFFORT -> body.remove(f.parameter());
      }
    }
    after.ifPresent(
        f -> setReasoning(body, f, new Target(model, null, reasoning, reasoningEffort)));
    try {
      return Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * For a streamed request: asks the backend for the final {@code usage} chunk ({@code
   * stream_options.include_usage: true}) so tokens and cost can be counted, unless the client set
   * {@code include_usage} itself (either way). Returns whether the body changed.
   */
  public static boolean requestStreamUsage(ParsedRequest request) {
    if (!request.stream()) {
      return false;
    }
    ObjectNode body = request.body();
    JsonNode existing = body.get("stream_options");
    if (existing instanceof ObjectNode options) {
      if (options.has("include_usage")) {
        return false;
      }
      options.put("include_usage", true);
      return true;
    }
    if (existing != null && !existing.isNull()) {
      return false; // not an object: the backend will refuse it; do not hide the client's error
    }
    body.putObject("stream_options").put("include_usage", true);
    return true;
  }

  /** The body tree as bytes. */
  public static byte[] serialize(ParsedRequest request) {
    try {
      return Json.MAPPER.writeValueAsBytes(request.body());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void setReasoning(ObjectNode body, ReasoningFamily family, Target decision) {
    switch (family.type()) {
      case CHAT_TEMPLATE_KWARGS -> {
        JsonNode existing = body.get("chat_template_kwargs");
        ObjectNode kwargs =
            existing instanceof ObjectNode o ? o : body.putObject("chat_template_kwargs");
        kwargs.put(family.parameter(), decision.reasoning());
      }
      // Effort families (gpt-oss) cannot switch reasoning off entirely; "off" means the
      // lowest effort rather than leaving the client's or the model's default in place.
      case REASONING_EFFORT ->
          body.put(
              family.parameter(),
              decision.reasoning() && decision.reasoningEffort() != null
                  ? decision.reasoningEffort()
                  : "low");
    }
  }

  /**
   * INSERT puts the category prompt before the client's own system prompt (or adds a system message
   * first when there is none); REPLACE swaps the client's system prompt for it.
   */
  static void applySystemPrompt(ObjectNode body, SystemPrompt prompt) {
    JsonNode messages = body.get("messages");
    if (!(messages instanceof ArrayNode list)) {
      return;
    }
    ObjectNode system = null;
    for (JsonNode m : list) {
      if (m.isObject() && "system".equals(m.path("role").asText())) {
        system = (ObjectNode) m;
        break;
      }
    }
    if (system == null) {
      ObjectNode added = Json.MAPPER.createObjectNode();
      added.put("role", "system");
      added.put("content", prompt.text());
      list.insert(0, added);
      return;
    }
    if (prompt.mode() == SystemPrompt.Mode.REPLACE) {
      system.put("content", prompt.text());
      return;
    }
    JsonNode content = system.get("content");
    if (content instanceof ArrayNode parts) {
      ObjectNode part = parts.insertObject(0);
      part.put("type", "text");
      part.put("text", prompt.text());
    } else {
      String old = content == null || content.isNull() ? "" : content.asText();
      system.put("content", old.isEmpty() ? prompt.text() : prompt.text() + "\n\n" + old);
    }
  }
}
