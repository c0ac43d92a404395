package io.semroute.extproc.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.config.SessionSettings;
import io.semroute.extproc.clientapi.ClientApi;
import io.semroute.extproc.clientapi.ClientRequest;
import io.semroute.extproc.clientapi.ToolCallIdReader;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.responses.Conversations;
import io.semroute.extproc.session.ConversationMemory;
import io.semroute.extproc.session.Pin;
import io.semroute.extproc.session.StoredResponse;
import java.util.List;

/**
 * remember: reads the answer for what a later request of the same conversation will name, and
 * remembers which model (and backend) made it ({@link KeepModelStage} reads it back): the ids of
 * the tool calls it issued, and a Responses answer's id — with the whole conversation as Chat
 * Completions messages when the router translated it (the backend stored nothing), unless the
 * client sent {@code store: false}. Only complete 200 answers; a chat request without {@code tools}
 * is not read at all (it cannot call one).
 */
public final class RememberStage implements ResponseStage {
  private final ConversationMemory memory;

  public RememberStage(ConversationMemory memory) {
    this.memory = memory;
  }

  @Override
  public void onHeaders(RequestContext ctx, Mutations reply) {
    ClientRequest c = ctx.client();
    if (ctx.responseStatus() != 200 || c == null) {
      return;
    }
    boolean responses = ctx.api() == ClientApi.RESPONSES;
    if (!responses && !hasTools(c.body())) {
      return;
    }
    Upstream upstream = ctx.upstream();
    ClientApi read = upstream == null ? ClientApi.CHAT_COMPLETIONS : upstream.api();
    ctx.toolCalls(new ToolCallIdReader(read, ctx.responseSse()));
  }

  private static boolean hasTools(JsonNode body) {
    JsonNode tools = body.get("tools");
    JsonNode functions = body.get("functions");
    return (tools != null && tools.isArray() && !tools.isEmpty())
        || (functions != null && functions.isArray() && !functions.isEmpty());
  }

  @Override
  public void onBody(RequestContext ctx, byte[] chunk, boolean endOfStream) {
    ToolCallIdReader reader = ctx.toolCalls();
    if (reader == null) {
      return;
    }
    reader.accept(chunk, endOfStream);
    if (!endOfStream) {
      return;
    }
    ctx.toolCalls(null);
    SessionSettings s = ctx.snapshot().config().session();
    String tenant = ConversationMemory.tenant(ctx::requestHeader);
    RoutingDecision d = ctx.routedDecision();
    Upstream upstream = ctx.upstream();
    Pin pin =
        new Pin(
            d.model(),
            d.reasoning(),
            d.reasoningEffort(),
            upstream == null ? null : upstream.backend());
    List<String> ids = reader.ids();
    if (!ids.isEmpty()) {
      memory.rememberToolCalls(s, tenant, ids, pin);
    }
    if (ctx.api() != ClientApi.RESPONSES || Boolean.FALSE.equals(ctx.client().store())) {
      return;
    }
    if (upstream != null && upstream.translated()) {
      ObjectNode response = ctx.translation() == null ? null : ctx.translation().response();
      if (response != null && response.path("id").isTextual()) {
        memory.rememberResponse(
            s,
            tenant,
            response.get("id").asText(),
            new StoredResponse(pin, Conversations.after(upstream.chatRequest(), response)));
      }
    } else if (reader.responseId() != null) {
      memory.rememberResponse(s, tenant, reader.responseId(), new StoredResponse(pin, null));
    }
  }
}
