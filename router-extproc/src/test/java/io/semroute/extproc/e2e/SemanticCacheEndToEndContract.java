package io.semroute.extproc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.config.RouterConfig;
import io.semroute.config.SemanticCacheSettings;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.cache.CacheStores;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.EnvoyConfig;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.server.SnapshotBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The semantic cache end to end, for each backend: client → {@code EnvoyEmulator} → router (the
 * snapshots {@code serve} builds, real MiniLM embeddings) → mock vLLM. Whether a request reached a
 * model is read from the mock's served count; a hit is Envoy's local reply carrying {@code
 * x-vsr-cache-hit: true}.
 */
abstract class SemanticCacheEndToEndContract {
  static final String TENANT = "x-user-id";
  static ClassifierCache models;
  CacheStores stores;
  RouterStack stack;

  /** The backend part of the settings under test (memory, or Redis on the test's server). */
  abstract SemanticCacheSettings cache(long ttlSeconds, int maxEntries);

  @BeforeAll
  static void openModels() {
    models = new ClassifierCache(new ClassifierOpener(BatchPolicy.defaults()));
  }

  @AfterAll
  static void closeModels() {
    models.close();
  }

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
    if (stores != null) {
      stores.close();
    }
  }

  RouterStack start(RouterConfig cfg) throws Exception {
    stores = new CacheStores();
    stack = new RouterStack(cfg, EnvoyConfig.load(), new SnapshotBuilder(models, stores, null));
    return stack;
  }

  RouterStack start(long ttlSeconds, int maxEntries) throws Exception {
    return start(TestConfigs.withCache(TestConfigs.sample(), cache(ttlSeconds, maxEntries)));
  }

  long served() {
    return stack.qwen.served() + stack.llama.served();
  }

  static String question(String text, boolean stream) {
    ObjectNode body = (ObjectNode) readTree(RouterEndToEndTest.chat("auto", text));
    if (stream) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    return body.toString();
  }

  static JsonNode readTree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  Exchange ask(String body, String tenant, String... headers) throws Exception {
    ClientRequest r = ClientRequest.postJson("/v1/chat/completions", body);
    if (tenant != null) {
      r = r.withHeader(TENANT, tenant);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      r = r.withHeader(headers[i], headers[i + 1]);
    }
    return stack.envoy.send(r);
  }

  static void assertHit(Exchange ex) {
    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.localReply()).as("answered by the router, not a model").isTrue();
    assertThat(ex.header("x-vsr-cache-hit")).isEqualTo("true");
  }

  static void assertForwarded(Exchange ex) {
    assertThat(ex.localReply()).as("forwarded to a model").isFalse();
    assertThat(ex.header("x-vsr-cache-hit")).isNull();
  }

  static String content(Exchange ex) {
    return ex.json().at("/choices/0/message/content").asText();
  }

  /** The data payloads of an SSE body; checks the framing and the final [DONE]. */
  static List<JsonNode> sseChunks(Exchange ex) {
    String text = ex.bodyText();
    assertThat(text).endsWith("data: [DONE]\n\n");
    List<JsonNode> out = new ArrayList<>();
    for (String event : text.split("\n\n")) {
      assertThat(event).startsWith("data: ");
      String data = event.substring(6);
      if (!data.equals("[DONE]")) {
        out.add(readTree(data));
      }
    }
    return out;
  }

  static String sseContent(List<JsonNode> chunks) {
    StringBuilder sb = new StringBuilder();
    chunks.forEach(c -> sb.append(c.at("/choices/0/delta/content").asText("")));
    return sb.toString();
  }

  @Test
  void aRepeatedQuestionIsServedForItsTenantOnly() throws Exception {
    start(3600, 100);
    String q = question("What is the capital of France?", false);
    Exchange first = ask(q, "alice");
    assertForwarded(first);
    assertThat(served()).isEqualTo(1);

    Exchange again = ask(q, "alice");
    assertHit(again);
    assertThat(served()).as("no model ran").isEqualTo(1);
    assertThat(again.header("content-type")).isEqualTo("application/json");
    assertThat(again.json().get("object").asText()).isEqualTo("chat.completion");
    assertThat(content(again)).isEqualTo(content(first));
    assertThat(again.json().at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(again.json().at("/usage/completion_tokens").asInt(-1)).isZero();

    assertForwarded(ask(q, "bob"));
    assertThat(served()).as("another tenant never sees alice's entry").isEqualTo(2);
    assertForwarded(ask(q, null));
    assertForwarded(ask(q, null));
    assertThat(served()).as("no tenant header: neither looked up nor stored").isEqualTo(4);
    assertHit(ask(q, "bob"));
  }

  @Test
  void aParaphraseHitsAndAnotherEntityOrNumberMisses() throws Exception {
    start(3600, 100);
    assertForwarded(ask(question("How do I reset my password?", false), "alice"));
    assertHit(ask(question("How can I reset my password?", false), "alice"));
    assertThat(served()).isEqualTo(1);

    assertForwarded(ask(question("What is the capital of France?", false), "alice"));
    assertForwarded(ask(question("What is the capital of Germany?", false), "alice"));
    assertForwarded(ask(question("Is 91 a prime number?", false), "alice"));
    assertForwarded(ask(question("Is 97 a prime number?", false), "alice"));
    assertForwarded(ask(question("What is 30 degrees Celsius in Fahrenheit?", false), "alice"));
    assertForwarded(ask(question("What is 30 degrees Fahrenheit in Celsius?", false), "alice"));
    assertThat(served()).isEqualTo(7);
  }

  /**
   * Long prompts that the encoder would truncate can only hit exactly (the reference router's
   * #3366: two long prompts sharing a prefix got each other's answers). The short pair proves the
   * same change does hit semantically when the whole text fits.
   */
  @Test
  void aMessageLongerThanTheEncoderWindowHitsOnlyExactly() throws Exception {
    start(3600, 100);
    String context = "Here is the release checklist of our service, step by step. ".repeat(20);
    String longQ = context + "Which step comes first?";
    String longOther = context + "Which step comes first, please?";
    assertForwarded(ask(question(longQ, false), "alice"));
    assertHit(ask(question(longQ, false), "alice"));
    assertForwarded(ask(question(longOther, false), "alice"));
    assertThat(served()).isEqualTo(2);

    assertForwarded(ask(question("Which step comes first?", false), "alice"));
    assertHit(ask(question("Which step comes first, please?", false), "alice"));
  }

  @Test
  void aStreamedAnswerIsStoredAndReplayedAsAValidStreamWithTheSameContent() throws Exception {
    start(3600, 100);
    String q = question("Explain photosynthesis in two sentences.", true);
    Exchange first = ask(q, "alice");
    assertForwarded(first);
    assertThat(first.bodyChunks()).as("streamed upstream answer").hasSizeGreaterThan(1);
    String original = sseContent(sseChunks(first));
    assertThat(original).startsWith("token0 ");

    Exchange replay = ask(q, "alice");
    assertHit(replay);
    assertThat(served()).isEqualTo(1);
    assertThat(replay.header("content-type")).isEqualTo("text/event-stream");
    List<JsonNode> chunks = sseChunks(replay);
    assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(chunks)
        .allSatisfy(c -> assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk"));
    assertThat(sseContent(chunks)).isEqualTo(original);
    JsonNode finish = chunks.get(chunks.size() - 2);
    assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    JsonNode usage = chunks.get(chunks.size() - 1);
    assertThat(usage.at("/usage/completion_tokens").asInt(-1)).isZero();

    // The same question without stream: the stored answer in JSON.
    Exchange json = ask(question("Explain photosynthesis in two sentences.", false), "alice");
    assertHit(json);
    assertThat(content(json)).isEqualTo(original);
  }

  @Test
  void aJsonAnswerReplaysAsAStreamToo() throws Exception {
    start(3600, 100);
    Exchange first = ask(question("What do mitochondria do?", false), "alice");
    assertForwarded(first);
    Exchange replay = ask(question("What do mitochondria do?", true), "alice");
    assertHit(replay);
    assertThat(sseContent(sseChunks(replay))).isEqualTo(content(first));
  }

  @Test
  void noCacheSkipsTheLookUpAndNoStoreTheStore() throws Exception {
    start(3600, 100);
    String q = question("What is the capital of Italy?", false);
    assertForwarded(ask(q, "alice", "cache-control", "no-store"));
    assertForwarded(ask(q, "alice"));
    assertThat(served()).as("no-store kept nothing").isEqualTo(2);
    assertForwarded(ask(q, "alice", "cache-control", "no-cache"));
    assertThat(served()).as("no-cache did not look up").isEqualTo(3);
    assertHit(ask(q, "alice", "cache-control", "max-age=0, no-store"));
    assertThat(served()).isEqualTo(3);
  }

  @Test
  void entriesExpireAfterTheTtl() throws Exception {
    start(1, 100);
    String q = question("What is the capital of Spain?", false);
    assertForwarded(ask(q, "alice"));
    assertHit(ask(q, "alice"));
    Thread.sleep(1600); // ttl_seconds: 1
    assertForwarded(ask(q, "alice"));
    assertThat(served()).isEqualTo(2);
  }

  @Test
  void errorsAndCutStreamsAreNeverStored() throws Exception {
    start(3600, 100);
    String q = question("What is the capital of Portugal?", false);
    Exchange error = ask(q, "alice", "x-mock-status", "500");
    assertThat(error.status()).isEqualTo(500);
    assertForwarded(ask(q, "alice"));
    assertThat(served()).as("the 500 was not stored").isEqualTo(2);

    String s = question("What is the capital of Austria?", true);
    Exchange cut = ask(s, "alice", "x-mock-cut-after", "3");
    assertThat(cut.bodyText()).doesNotContain("[DONE]");
    Exchange full = ask(s, "alice");
    assertForwarded(full);
    assertThat(served()).as("the cut stream was not stored").isEqualTo(4);
    assertHit(ask(s, "alice"));
  }

  @Test
  void temperatureAboveZeroIsNotCachedByDefault() throws Exception {
    start(3600, 100);
    ObjectNode body = (ObjectNode) readTree(question("Write a haiku about the sea.", false));
    body.put("temperature", 0.8);
    assertForwarded(ask(body.toString(), "alice"));
    assertForwarded(ask(body.toString(), "alice"));
    body.put("temperature", 0);
    assertForwarded(ask(body.toString(), "alice"));
    assertHit(ask(body.toString(), "alice"));
    assertThat(served()).isEqualTo(3);
  }
}
