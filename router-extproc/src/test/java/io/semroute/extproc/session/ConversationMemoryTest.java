package io.semroute.extproc.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.config.SemanticCacheSettings.RedisSettings;
import io.semroute.config.SessionSettings;
import io.semroute.extproc.openai.Json;
import io.semroute.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the router remembers of a conversation, in memory and in a real Redis. */
class ConversationMemoryTest {
  private static final SessionSettings S = SessionSettings.DEFAULTS;
  private static final Pin QWEN = new Pin("qwen3-8b", true, "high", "10.0.0.1:8000");

  @Test
  void memoryEntriesExpireAfterTheirTtlAndTheLeastRecentlyUsedGoFirst() {
    AtomicLong now = new AtomicLong(1_000);
    MemoryConversationStore store = new MemoryConversationStore(2, now::get);
    store.put("a", "1", Duration.ofSeconds(10));
    store.put("b", "2", Duration.ofSeconds(10));
    assertThat(store.get("a")).isEqualTo("1"); // a is now the most recently used
    store.put("c", "3", Duration.ofSeconds(10));
    assertThat(store.get("b")).as("evicted: least recently used").isNull();
    assertThat(store.get("a")).isEqualTo("1");
    now.addAndGet(10_000);
    assertThat(store.get("a")).as("expired").isNull();
    assertThat(store.get("c")).isNull();
  }

  @Test
  void toolCallsResponsesAndSessionsAreKeptPerTenant() {
    ConversationMemory memory = new ConversationMemory(s -> new MemoryConversationStore());
    String alice = ConversationMemory.tenant(Map.of("authorization", "Bearer a")::get);
    String bob = ConversationMemory.tenant(Map.of("x-api-key", "b")::get);
    assertThat(alice).isNotEqualTo(bob);

    memory.rememberToolCalls(S, alice, List.of("call_1", "call_2"), QWEN);
    assertThat(memory.toolCall(S, alice, "call_2")).isEqualTo(QWEN);
    assertThat(memory.toolCall(S, bob, "call_2")).isNull();

    ObjectNode user = Json.MAPPER.createObjectNode().put("role", "user").put("content", "hi");
    memory.rememberResponse(S, alice, "resp_1", new StoredResponse(QWEN, List.of(user)));
    StoredResponse back = memory.response(S, alice, "resp_1");
    assertThat(back.pin()).isEqualTo(QWEN);
    assertThat(back.conversation()).containsExactly(user);
    memory.rememberResponse(S, alice, "resp_2", new StoredResponse(QWEN, null));
    assertThat(memory.response(S, alice, "resp_2").conversation())
        .as("stored by the backend")
        .isNull();
    assertThat(memory.response(S, bob, "resp_1")).isNull();

    Pin llama = new Pin("llama", false, null, null);
    memory.rememberSession(S, bob, "s1", llama);
    assertThat(memory.session(S, bob, "s1")).isEqualTo(llama);
    assertThat(memory.session(S, alice, "s1")).isNull();
  }

  @Test
  void redisSharesTheMemoryBetweenReplicas() throws Exception {
    try (RedisServer server = RedisServer.startIfInstalled()) {
      RedisServer.assumeRunning(server);
      String[] hostPort = server.address().split(":");
      SessionSettings redis =
          new SessionSettings(
              true,
              "x-session-id",
              60,
              SessionSettings.Backend.REDIS,
              new RedisSettings(hostPort[0], Integer.parseInt(hostPort[1]), "test:", null),
              0.1);
      ConversationMemory one = new ConversationMemory();
      ConversationMemory two = new ConversationMemory();
      one.rememberToolCalls(redis, "t", List.of("call_9"), QWEN);
      assertThat(two.toolCall(redis, "t", "call_9")).isEqualTo(QWEN);
      assertThat(two.toolCall(redis, "other", "call_9")).isNull();
    }
  }

  @Test
  void anUnreachableRedisMeansNothingIsRemembered() {
    RedisConversationStore store =
        new RedisConversationStore(new RedisSettings("127.0.0.1", 1, "test:", null));
    try (store) {
      store.put("k", "v", Duration.ofSeconds(5));
      assertThat(store.get("k")).isNull();
    }
  }
}
