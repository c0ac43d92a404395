package io.semroute.extproc.pipeline;

import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.config.BlockResponse;
import io.semroute.config.ClassifierSettings;
import io.semroute.config.ConfigLoader;
import io.semroute.config.GuardAction;
import io.semroute.config.JailbreakGuardSettings;
import io.semroute.config.ModelPath;
import io.semroute.config.PiiSettings;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.envoy.HeaderMaps;
import io.semroute.extproc.openai.RequestKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hand-built requests for the stage tests: a keyword-only config (nothing to load) and a {@link
 * RequestContext} as the processor would make it, without gRPC.
 */
final class StageFixtures {
  static final String QWEN = "qwen3-8b";
  static final String LLAMA = "llama-3.1-8b-instruct";

  private StageFixtures() {}

  /**
   * Two models: qwen3-8b (priced, reasoning, may see e-mail addresses only) for math, llama (sees
   * everything) as the default and for biology; PII scanning on with the given action.
   */
  static RouterConfig config(GuardAction piiAction) {
    RouterConfig cfg =
        ConfigLoader.parse(
            """
            default_model: llama-3.1-8b-instruct
            reasoning_families:
              qwen3: {type: chat_template_kwargs, parameter: enable_thinking}
            models:
              qwen3-8b:
                reasoning_family: qwen3
                pricing: {prompt_per_1m: 2.0, completion_per_1m: 6.0, currency: USD}
                pii_policy: {allow_by_default: false, pii_types_allowed: [EMAIL_ADDRESS]}
              llama-3.1-8b-instruct: {}
            backends:
              - {name: vllm-qwen, address: vllm-qwen:8000, models: [qwen3-8b]}
              - {name: vllm-llama, address: vllm-llama:8000, models: [llama-3.1-8b-instruct]}
            categories:
              - name: math
                model_scores:
                  - {model: qwen3-8b, score: 1.0, use_reasoning: true}
                  - {model: llama-3.1-8b-instruct, score: 0.4}
                keywords:
                  - {score: 0.95, words: [derivative, integral, equation]}
              - name: biology
                model_scores:
                  - {model: llama-3.1-8b-instruct, score: 0.9}
                keywords:
                  - {score: 0.9, words: [photosynthesis, mitochondria]}
            classifier:
              pii: {enabled: true}
            """,
            Path.of("stage-test.yaml"));
    ClassifierSettings c = cfg.classifier();
    PiiSettings pii = c.pii();
    return cfg.withClassifier(
        new ClassifierSettings(
            c.device(),
            c.categoryThreshold(),
            c.categoryModel(),
            c.maxTokens(),
            c.examplesThreshold(),
            c.jailbreak(),
            new PiiSettings(pii.enabled(), pii.model(), piiAction, pii.response(), pii.minScores()),
            c.catchAllCategory()));
  }

  static RouterConfig config() {
    return config(GuardAction.BLOCK);
  }

  /** {@code cfg} with a jailbreak guard configured this way (its model is never opened here). */
  static RouterConfig withJailbreak(
      RouterConfig cfg, GuardAction action, boolean blockOnError, BlockResponse response) {
    ClassifierSettings c = cfg.classifier();
    return cfg.withClassifier(
        new ClassifierSettings(
            c.device(),
            c.categoryThreshold(),
            c.categoryModel(),
            c.maxTokens(),
            c.examplesThreshold(),
            new JailbreakGuardSettings(
                true, new ModelPath(Path.of("unused"), null), 0.5, action, blockOnError, response),
            c.pii(),
            c.catchAllCategory()));
  }

  /** A chat completions request as its request body arrives, with these request headers. */
  static RequestContext chat(RouterSnapshot snapshot, String body, String... headers) {
    RequestContext ctx =
        new RequestContext(
            snapshot,
            RequestKind.CHAT_COMPLETIONS,
            new RequestInfo("POST", "/v1/chat/completions", "req-1", System.nanoTime()));
    HeaderMap.Builder map = HeaderMap.newBuilder();
    for (int i = 0; i < headers.length; i += 2) {
      map.addHeaders(HeaderValue.newBuilder().setKey(headers[i]).setValue(headers[i + 1]));
    }
    ctx.requestHeaders(map.build());
    ctx.body(body.getBytes(StandardCharsets.UTF_8));
    return ctx;
  }

  /** A one-turn chat body. */
  static String body(String model, String text) {
    return "{\"model\":\""
        + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + text
        + "\"}]}";
  }

  /** The headers a reply sets (request body reply, response headers reply or local answer). */
  static Map<String, String> headersSet(ProcessingResponse reply) {
    HeaderMutation mutation;
    if (reply.hasImmediateResponse()) {
      mutation = reply.getImmediateResponse().getHeaders();
    } else if (reply.hasRequestBody()) {
      mutation = reply.getRequestBody().getResponse().getHeaderMutation();
    } else {
      mutation = reply.getResponseHeaders().getResponse().getHeaderMutation();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (HeaderValueOption h : mutation.getSetHeadersList()) {
      out.put(h.getHeader().getKey(), HeaderMaps.valueOf(h.getHeader()));
    }
    return out;
  }

  /** The body of a local answer, or of a replaced request body. */
  static String bodyOf(ProcessingResponse reply) {
    if (reply.hasImmediateResponse()) {
      return reply.getImmediateResponse().getBody().toStringUtf8();
    }
    return reply.getRequestBody().getResponse().getBodyMutation().getBody().toStringUtf8();
  }
}
