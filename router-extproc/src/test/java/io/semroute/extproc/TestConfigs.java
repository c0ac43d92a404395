package io.semroute.extproc;

import io.semroute.config.Backend;
import io.semroute.config.Category;
import io.semroute.config.ClassifierSettings;
import io.semroute.config.KeywordRule;
import io.semroute.config.Listeners;
import io.semroute.config.ModelScore;
import io.semroute.config.ModelSpec;
import io.semroute.config.ReasoningFamily;
import io.semroute.config.RouterConfig;
import io.semroute.config.RoutingOutput;
import io.semroute.config.SemanticCacheSettings;
import io.semroute.config.SystemPrompt;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small routing config built in code, with the model and backend names of deploy/envoy/envoy.yaml
 * (qwen3-8b on vllm-qwen:8000 with thinking, llama-3.1-8b-instruct on vllm-llama:8000 without), so
 * the emulator can route with the real Envoy route table.
 */
public final class TestConfigs {
  public static final String QWEN = "qwen3-8b";
  public static final String LLAMA = "llama-3.1-8b-instruct";
  public static final String MATH_PROMPT = "You are a careful mathematician.";

  private TestConfigs() {}

  public static RouterConfig sample() {
    return sample(false);
  }

  public static RouterConfig sample(boolean endpointPicking) {
    Map<String, ModelSpec> models = new LinkedHashMap<>();
    models.put(QWEN, new ModelSpec(QWEN, "qwen3", null, null));
    models.put(LLAMA, new ModelSpec(LLAMA, null, null, null));
    Map<String, ReasoningFamily> families =
        Map.of(
            "qwen3",
                new ReasoningFamily(
                    "qwen3", ReasoningFamily.Type.CHAT_TEMPLATE_KWARGS, "enable_thinking"),
            "gpt-oss",
                new ReasoningFamily(
                    "gpt-oss", ReasoningFamily.Type.REASONING_EFFORT, "reasoning_effort"));
    List<Category> categories =
        List.of(
            new Category(
                "math",
                "Mathematics",
                List.of(
                    new ModelScore(QWEN, 1.0, true, null), new ModelScore(LLAMA, 0.4, false, null)),
                new SystemPrompt(MATH_PROMPT, SystemPrompt.Mode.INSERT),
                List.of(
                    new KeywordRule(
                        List.of("derivative", "integral", "prime number", "polynomial"),
                        List.of("\\bd/dx\\b"),
                        0.9)),
                List.of()),
            new Category(
                "biology",
                "Biology",
                List.of(
                    new ModelScore(LLAMA, 0.9, false, null),
                    new ModelScore(QWEN, 0.5, false, null)),
                null,
                List.of(
                    new KeywordRule(
                        List.of("photosynthesis", "mitochondria", "dna replication"),
                        List.of(),
                        0.85)),
                List.of()),
            new Category(
                "physics",
                "Physics",
                List.of(new ModelScore(QWEN, 0.9, false, null)),
                new SystemPrompt("You are a physicist.", SystemPrompt.Mode.REPLACE),
                List.of(
                    new KeywordRule(List.of("quantum", "momentum"), List.of(), 0.8),
                    new KeywordRule(List.of("energy"), List.of(), 0.4)),
                List.of()));
    List<Backend> backends =
        List.of(
            new Backend("vllm-qwen", "vllm-qwen", 8000, List.of(QWEN), 1),
            new Backend("vllm-llama", "vllm-llama", 8000, List.of(LLAMA), 1));
    return new RouterConfig(
        null,
        Listeners.DEFAULTS,
        backends,
        models,
        families,
        categories,
        LLAMA,
        Set.of("auto"),
        new RoutingOutput(endpointPicking),
        ClassifierSettings.DEFAULTS);
  }

  /** {@code cfg} with this {@code semantic_cache:} section. */
  public static RouterConfig withCache(RouterConfig cfg, SemanticCacheSettings cache) {
    return cfg.withSemanticCache(cache);
  }

  /** A memory cache partitioned by {@code x-user-id}, with the shipped defaults otherwise. */
  public static SemanticCacheSettings memoryCache() {
    return new SemanticCacheSettings(
        true,
        SemanticCacheSettings.Backend.MEMORY,
        SemanticCacheSettings.RedisSettings.DEFAULTS,
        "x-user-id",
        false,
        SemanticCacheSettings.DEFAULT_SIMILARITY_THRESHOLD,
        3600,
        10_000,
        false);
  }
}
