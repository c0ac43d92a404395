package io.semroute.extproc.clientapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.clientapi.ClientRequest.Reasoning;
import io.semroute.extproc.clientapi.ClientRequest.Turn;
import io.semroute.extproc.openai.ParsedRequest;
import io.semroute.extproc.openai.ParsedRequest.ClientText;
import io.semroute.extproc.openai.RequestKind;
import io.semroute.extproc.openai.RequestParser;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed Chat Completions (or legacy completions) request seen as a {@link ClientRequest}, so the
 * stages that serve all three APIs read one shape: {@code tool} messages are the tool results, and
 * the {@code tool_call_id}s of those after the last assistant message the calls the request answers
 * (a user text beside them does not end the tool loop, as in the other APIs).
 */
public final class ChatRequests {
  private ChatRequests() {}

  public static ClientRequest view(ParsedRequest parsed) {
    if (parsed.kind() == RequestKind.COMPLETIONS) {
      List<Turn> turns = parsed.userTexts().stream().map(t -> new Turn("user", t)).toList();
      return new ClientRequest(
          ClientApi.CHAT_COMPLETIONS,
          parsed.body(),
          parsed.model(),
          parsed.stream(),
          "",
          turns,
          parsed.clientTexts(),
          List.of(),
          List.of(),
          text(parsed.body().get("user")),
          null,
          null,
          null);
    }
    List<String> system = new ArrayList<>();
    List<Turn> turns = new ArrayList<>();
    List<ClientText> toolResults = new ArrayList<>();
    List<String> trailing = new ArrayList<>();
    JsonNode messages = parsed.body().get("messages");
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String role = m.path("role").asText();
      String content = RequestParser.contentText(m.get("content"));
      if (role.equals("assistant")) {
        trailing.clear();
      }
      switch (role) {
        case "system", "developer" -> {
          if (!content.isBlank()) {
            system.add(content);
          }
        }
        case "user", "assistant" -> {
          if (!content.isBlank()) {
            turns.add(new Turn(role, content));
          }
        }
        case "tool", "function" -> {
          String prefix = "/messages/" + i + "/content";
          parsed.clientTexts().stream()
              .filter(t -> t.pointer().equals(prefix) || t.pointer().startsWith(prefix + "/"))
              .forEach(toolResults::add);
          String id = text(m.get("tool_call_id"));
          if (id != null) {
            trailing.add(id);
          }
        }
        default -> {
          // an unknown role: no text the router reads
        }
      }
    }
    String effort = text(parsed.body().get("reasoning_effort"));
    return new ClientRequest(
        ClientApi.CHAT_COMPLETIONS,
        parsed.body(),
        parsed.model(),
        parsed.stream(),
        String.join("\n", system),
        turns,
        parsed.clientTexts(),
        toolResults,
        trailing,
        text(parsed.body().get("user")),
        effort == null ? null : new Reasoning(!effort.equals("none"), effort, null),
        null,
        null);
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }
}
