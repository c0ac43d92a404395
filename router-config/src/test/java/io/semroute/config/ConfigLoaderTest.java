package io.semroute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  /** A complete file using every key; line numbers below are relied on by the error tests. */
  static final String FULL =
      """
      listeners:
        grpc_port: 50052
        http_port: 8081
        metrics_port: 9191
      auto_model_names: [auto, router]
      default_model: small
      default_reasoning_effort: low
      reasoning_families:
        qwen3: {type: chat_template_kwargs, parameter: enable_thinking}
        gpt-oss: {type: reasoning_effort}
      models:
        big:
          reasoning_family: qwen3
          pricing: {prompt_per_1m: 0.5, completion_per_1m: 1.5, currency: EUR}
        oss:
          reasoning_family: gpt-oss
          default_reasoning_effort: high
        small:
      backends:
        - name: b1
          address: vllm-big.inference.svc.cluster.local:8000
          models: [big, oss]
          weight: 3
        - name: b2
          address: 10.0.0.7:8001
          models: [small]
      routing:
        endpoint_picking: true
      classifier:
        device: gpu:1
        category_threshold: 0.75
        max_tokens: 512
      categories:
        - name: math
          description: numbers
          model_scores:
            - {model: small, score: 0.3}
            - {model: big, score: 0.9, use_reasoning: true, reasoning_effort: high}
          system_prompt: {text: Be exact., mode: replace}
          keywords:
            - words: [integral, prime number]
              regex: ['\\bx\\^\\d']
              score: 0.8
          examples: ['What is 2+2?']
        - name: chat
          model_scores:
            - {model: small, score: 1}
          system_prompt: Be nice.
      """;

  private Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  private RouterConfig load(String content) throws Exception {
    return ConfigLoader.load(write("router.yaml", content));
  }

  /** Loads FULL with one text replacement and returns the error. */
  private ConfigException errorOf(String from, String to) throws Exception {
    assertThat(FULL).contains(from);
    Path p = write("router.yaml", FULL.replace(from, to));
    try {
      ConfigLoader.load(p);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException after replacing '" + from + "'");
  }

  @Test
  void loadsEveryKeyOfAFullFile() throws Exception {
    RouterConfig c = load(FULL);
    assertThat(c.source()).isEqualTo(dir.resolve("router.yaml"));
    assertThat(c.listeners()).isEqualTo(new Listeners(50052, 8081, 9191));
    assertThat(c.autoModelNames()).containsExactlyInAnyOrder("auto", "router");
    assertThat(c.defaultModel()).isEqualTo("small");
    assertThat(c.reasoningFamilies())
        .containsEntry(
            "qwen3",
            new ReasoningFamily(
                "qwen3", ReasoningFamily.Type.CHAT_TEMPLATE_KWARGS, "enable_thinking"))
        .containsEntry(
            "gpt-oss",
            new ReasoningFamily(
                "gpt-oss", ReasoningFamily.Type.REASONING_EFFORT, "reasoning_effort"));
    assertThat(c.models().keySet()).containsExactly("big", "oss", "small");
    assertThat(c.models().get("big"))
        .isEqualTo(new ModelSpec("big", "qwen3", "low", new Pricing(0.5, 1.5, "EUR")));
    assertThat(c.models().get("oss").defaultReasoningEffort()).isEqualTo("high");
    assertThat(c.models().get("small")).isEqualTo(new ModelSpec("small", null, "low", null));
    assertThat(c.backends())
        .containsExactly(
            new Backend(
                "b1", "vllm-big.inference.svc.cluster.local", 8000, List.of("big", "oss"), 3),
            new Backend("b2", "10.0.0.7", 8001, List.of("small"), 1));
    assertThat(c.backendsFor("oss")).extracting(Backend::name).containsExactly("b1");
    assertThat(c.routing().endpointPicking()).isTrue();
    assertThat(c.classifier())
        .isEqualTo(
            new ClassifierSettings(
                "gpu:1",
                0.75,
                null,
                512,
                ClassifierSettings.DEFAULT_EXAMPLES_THRESHOLD,
                JailbreakGuardSettings.OFF,
                PiiSettings.OFF,
                null));

    Category math = c.category("math").orElseThrow();
    assertThat(math.description()).isEqualTo("numbers");
    // Sorted best first regardless of file order.
    assertThat(math.modelScores())
        .containsExactly(
            new ModelScore("big", 0.9, true, "high"), new ModelScore("small", 0.3, false, null));
    assertThat(math.systemPrompt())
        .isEqualTo(new SystemPrompt("Be exact.", SystemPrompt.Mode.REPLACE));
    assertThat(math.keywords())
        .containsExactly(
            new KeywordRule(List.of("integral", "prime number"), List.of("\\bx\\^\\d"), 0.8));
    assertThat(math.examples()).containsExactly("What is 2+2?");
    Category chat = c.category("chat").orElseThrow();
    assertThat(chat.systemPrompt())
        .isEqualTo(new SystemPrompt("Be nice.", SystemPrompt.Mode.INSERT));
    assertThat(chat.keywords()).isEmpty();
    assertThat(chat.description()).isEmpty();
  }

  @Test
  void minimalFileGetsTheDocumentedDefaults() throws Exception {
    RouterConfig c =
        load(
            """
            models: {m: }
            backends: [{name: b, address: 'vllm:8000', models: [m]}]
            default_model: m
            """);
    assertThat(c.listeners()).isEqualTo(new Listeners(50051, 8080, 9190));
    assertThat(c.autoModelNames()).containsExactly("auto");
    assertThat(c.routing()).isEqualTo(RoutingOutput.DEFAULTS);
    assertThat(c.classifier()).isEqualTo(ClassifierSettings.DEFAULTS);
    assertThat(c.classifier())
        .isEqualTo(
            new ClassifierSettings(
                "auto", 0.6, null, 0, 0.7, JailbreakGuardSettings.OFF, PiiSettings.OFF, null));
    assertThat(c.backends().get(0).weight()).isEqualTo(1);
    assertThat(c.models().get("m").defaultReasoningEffort()).isEqualTo("medium");
    assertThat(c.categories()).isEmpty();
  }

  @Test
  void keywordDefaultsAndMatchingSemantics() throws Exception {
    RouterConfig c =
        load(
            """
            models: {m: }
            backends: [{name: b, address: 'vllm:8000', models: [m]}]
            default_model: m
            categories:
              - name: law
                model_scores: [{model: m, score: 1}]
                keywords: [{words: [tort, due process, c++]}]
            """);
    KeywordRule rule = c.categories().get(0).keywords().get(0);
    assertThat(rule.score()).isEqualTo(1.0);
    assertThat(rule.matches("What is a TORT?")).isTrue();
    assertThat(rule.matches("a tortoise")).isFalse();
    assertThat(rule.matches("is Due\n  Process required")).isTrue();
    assertThat(rule.matches("learning C++ today")).isTrue();
  }

  @Test
  void ipv6BackendKeepsBrackets() throws Exception {
    RouterConfig c = load(FULL.replace("10.0.0.7:8001", "'[fd00::7]:8001'"));
    assertThat(c.backends().get(1).address()).isEqualTo("[fd00::7]:8001");
  }

  // ---- errors: each names file, line and key --------------------------------------------

  @Test
  void yamlSyntaxErrorHasLine() throws Exception {
    ConfigException e = errorOf("  description: numbers", "  description: [numbers");
    assertThat(e.getMessage())
        .startsWith(dir.resolve("router.yaml") + ":")
        .contains("YAML syntax error");
    assertThat(e.line()).isBetween(35, 37);
  }

  @Test
  void unknownTopLevelKeyListsValidKeys() throws Exception {
    ConfigException e = errorOf("default_model: small", "default_modle: small");
    assertThat(e.getMessage())
        .isEqualTo(
            dir.resolve("router.yaml")
                + ":6: default_modle: unknown key 'default_modle'; did you mean 'default_model'?"
                + " valid keys: listeners, auto_model_names, default_model, default_reasoning_effort,"
                + " reasoning_families, models, backends, categories, routing, classifier,"
                + " semantic_cache, logging, tracing, signals, decisions, rate_limits, resilience");
  }

  @Test
  void unknownNestedKeyIsATypoNotIgnored() throws Exception {
    ConfigException e = errorOf("use_reasoning: true", "use_reasonning: true");
    assertThat(e.getMessage())
        .contains("router.yaml:38: categories[0].model_scores[1].use_reasonning: unknown key")
        .contains("did you mean 'use_reasoning'?")
        .contains("valid keys: model, score, use_reasoning, reasoning_effort");
  }

  @Test
  void undeclaredModelInCategoryListsDeclaredModels() throws Exception {
    ConfigException e = errorOf("{model: big, score: 0.9", "{model: bgi, score: 0.9");
    assertThat(e.getMessage())
        .endsWith(
            "router.yaml:38: categories[0].model_scores[1].model: unknown model 'bgi'; did you mean 'big'?"
                + " declared models: big, oss, small");
    assertThat(e.key()).isEqualTo("categories[0].model_scores[1].model");
    assertThat(e.line()).isEqualTo(38);
  }

  @Test
  void catchAllCategoryMustBeADeclaredCategory() throws Exception {
    RouterConfig ok =
        load(
            FULL.replace(
                "category_threshold: 0.75",
                "category_threshold: 0.75\n  catch_all_category: chat"));
    assertThat(ok.classifier().catchAllCategory()).isEqualTo("chat");

    ConfigException e =
        errorOf("category_threshold: 0.75", "category_threshold: 0.75\n  catch_all_category: chta");
    assertThat(e.getMessage())
        .contains("classifier.catch_all_category: unknown category 'chta'; did you mean 'chat'?")
        .contains("declared categories: math, chat");
    assertThat(e.line()).isPositive();
  }

  @Test
  void undeclaredDefaultModel() throws Exception {
    ConfigException e = errorOf("default_model: small", "default_model: tiny");
    assertThat(e.getMessage())
        .contains(":6: default_model: unknown model 'tiny'; declared models: big, oss, small");
  }

  @Test
  void missingDefaultModel() throws Exception {
    ConfigException e = errorOf("default_model: small\n", "");
    assertThat(e.getMessage()).contains("default_model: required key is missing");
  }

  @Test
  void undeclaredBackendModel() throws Exception {
    ConfigException e = errorOf("models: [small]", "models: [small, huge]");
    assertThat(e.getMessage())
        .contains(
            ":26: backends[1].models[1]: unknown model 'huge'; declared models: big, oss, small");
  }

  @Test
  void modelServedByNoBackend() throws Exception {
    ConfigException e = errorOf("models: [big, oss]", "models: [big]");
    assertThat(e.getMessage())
        .contains("backends: model 'oss' is declared but no backend serves it");
  }

  @Test
  void undeclaredReasoningFamily() throws Exception {
    ConfigException e = errorOf("reasoning_family: qwen3", "reasoning_family: qwen");
    assertThat(e.getMessage())
        .contains(
            ":13: models.big.reasoning_family: unknown reasoning family 'qwen'; did you mean 'qwen3'? declared reasoning_families: qwen3, gpt-oss");
  }

  @Test
  void reasoningFamilyTypeIsAClosedSet() throws Exception {
    ConfigException e = errorOf("type: chat_template_kwargs", "type: template");
    assertThat(e.getMessage())
        .contains(
            ":9: reasoning_families.qwen3.type: invalid value 'template'; valid values: chat_template_kwargs, reasoning_effort");
  }

  @Test
  void reasoningEffortIsAClosedSet() throws Exception {
    ConfigException e = errorOf("reasoning_effort: high}", "reasoning_effort: max}");
    assertThat(e.getMessage())
        .contains(
            ":38: categories[0].model_scores[1].reasoning_effort: invalid value 'max'; valid values: low, medium, high");
  }

  @Test
  void reasoningOnAModelWithoutFamilyIsRefused() throws Exception {
    ConfigException e =
        errorOf("{model: small, score: 0.3}", "{model: small, score: 0.3, use_reasoning: true}");
    assertThat(e.getMessage())
        .contains(
            ":37: categories[0].model_scores[0].use_reasoning: model 'small' has no reasoning_family");
  }

  @Test
  void scoreOutOfRange() throws Exception {
    ConfigException e = errorOf("score: 0.9,", "score: 1.5,");
    assertThat(e.getMessage())
        .contains(":38: categories[0].model_scores[1].score: must be between 0 and 1, found 1.5");
  }

  @Test
  void scoreNotANumber() throws Exception {
    ConfigException e = errorOf("score: 0.9,", "score: high,");
    assertThat(e.getMessage())
        .contains("categories[0].model_scores[1].score: expected a number, found 'high'");
  }

  @Test
  void badRegexShowsTheProblem() throws Exception {
    ConfigException e = errorOf("regex: ['\\bx\\^\\d']", "regex: ['(unclosed']");
    assertThat(e.getMessage())
        .contains(":42: categories[0].keywords[0].regex[0]: invalid regex: Unclosed group");
  }

  @Test
  void emptyKeywordRule() throws Exception {
    ConfigException e =
        errorOf("- words: [integral, prime number]\n        regex: ['\\bx\\^\\d']", "- words: []");
    assertThat(e.getMessage())
        .contains(
            "categories[0].keywords[0]: a keyword rule needs at least one entry in 'words' or 'regex'");
  }

  @Test
  void duplicateNames() throws Exception {
    assertThat(errorOf("- name: chat", "- name: math").getMessage())
        .contains(
            ":45: categories[1].name: duplicate category name 'math' (first defined on line 34)");
    assertThat(errorOf("- name: b2", "- name: b1").getMessage())
        .contains(":24: backends[1].name: duplicate backend name 'b1' (first defined on line 20)");
    assertThat(errorOf("  small:\n", "  small:\n  big:\n").getMessage())
        .contains(":19: models.big: duplicate key (first defined on line 12)");
    assertThat(
            errorOf(
                    "- {model: small, score: 1}",
                    "- {model: small, score: 1}\n      - {model: small, score: 0.5}")
                .getMessage())
        .contains(":48: categories[1].model_scores[1].model: model 'small' is scored twice");
  }

  @Test
  void backendAddressValidation() throws Exception {
    assertThat(errorOf("10.0.0.7:8001", "10.0.0.7").getMessage())
        .contains(
            ":25: backends[1].address: expected 'host:port', e.g. 'vllm-qwen:8000', found '10.0.0.7' (no port)");
    assertThat(errorOf("10.0.0.7:8001", "10.0.0.7:70000").getMessage())
        .contains("backends[1].address: port must be from 1 to 65535, found 70000");
    assertThat(errorOf("10.0.0.7:8001", "10.0.0.7:http").getMessage())
        .contains("backends[1].address: port must be a number from 1 to 65535, found 'http'");
    assertThat(errorOf("10.0.0.7:8001", "vllm_big-:8001").getMessage())
        .contains("backends[1].address: 'vllm_big-' is not a valid host name");
    assertThat(errorOf("10.0.0.7:8001", "300.1.1.1:8001").getMessage())
        .contains("'300.1.1.1' is not a valid IPv4 address");
    assertThat(errorOf("10.0.0.7:8001", "fd00::7:8001").getMessage())
        .contains("IPv6 addresses need brackets");
  }

  @Test
  void listenerPortsAreChecked() throws Exception {
    assertThat(errorOf("grpc_port: 50052", "grpc_port: 99999").getMessage())
        .contains(":2: listeners.grpc_port: must be between 0 and 65535, found 99999");
    assertThat(errorOf("http_port: 8081", "http_port: 50052").getMessage())
        .contains(":3: listeners.http_port: port 50052 is already used by grpc_port");
    assertThat(errorOf("grpc_port: 50052", "grpc_port: '50052'").getMessage())
        .contains("listeners.grpc_port: expected a whole number, found '50052'");
  }

  @Test
  void admissionLimitAndOverloadActionAreReadAndChecked() throws Exception {
    RouterConfig c =
        load(
            FULL.replace(
                "grpc_port: 50052",
                "grpc_port: 50052\n  max_in_flight: 16\n  on_overload: reject"));
    assertThat(c.listeners().maxInFlight()).isEqualTo(16);
    assertThat(c.listeners().onOverload()).isEqualTo(Listeners.Overload.REJECT);
    assertThat(load(FULL).listeners().maxInFlight()).isEqualTo(Listeners.DEFAULT_MAX_IN_FLIGHT);
    assertThat(load(FULL).listeners().onOverload()).isEqualTo(Listeners.Overload.DEFAULT_MODEL);
    assertThat(errorOf("grpc_port: 50052", "grpc_port: 50052\n  max_in_flight: 0").getMessage())
        .contains(":3: listeners.max_in_flight: must be between 1 and 100000, found 0");
    assertThat(errorOf("grpc_port: 50052", "grpc_port: 50052\n  on_overload: queue").getMessage())
        .contains(":3: listeners.on_overload:")
        .contains("default_model")
        .contains("reject");
  }

  @Test
  void classifierSettingsAreChecked() throws Exception {
    assertThat(errorOf("device: gpu:1", "device: cuda").getMessage())
        .contains(
            ":30: classifier.device: invalid device 'cuda'; valid values: auto, cpu, gpu:N (e.g. gpu:0)");
    assertThat(errorOf("category_threshold: 0.75", "category_threshold: -1").getMessage())
        .contains(":31: classifier.category_threshold: must be between 0 and 1");
    assertThat(
            errorOf("max_tokens: 512", "max_tokens: 512\n  category_model: nope/model")
                .getMessage())
        .contains(
            ":33: classifier.category_model: 'nope/model' does not exist (resolved to "
                + dir.resolve("nope/model")
                + ")");
  }

  @Test
  void relativeModelPathResolvesAgainstTheConfigDirectory() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("conf"));
    modelFolder(sub.resolve("models/category"));
    Path file = sub.resolve("router.yaml");
    Files.writeString(
        file,
        FULL.replace("max_tokens: 512", "max_tokens: 512\n  category_model: models/category"));
    RouterConfig c = ConfigLoader.load(file);
    assertThat(c.classifier().categoryModel().dir())
        .isEqualTo(sub.resolve("models/category").toAbsolutePath());
    // The place is kept for checks made once the model is open (labels vs categories).
    assertThat(c.classifier().categoryModel().error("labels do not match").getMessage())
        .isEqualTo(file + ":33: classifier.category_model: labels do not match");
    Path abs = modelFolder(dir.resolve("elsewhere"));
    Files.writeString(
        file, FULL.replace("max_tokens: 512", "max_tokens: 512\n  category_model: " + abs));
    assertThat(ConfigLoader.load(file).classifier().categoryModel().dir()).isEqualTo(abs);
  }

  @Test
  void modelPathMustBeAModelFolder() throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    Files.writeString(dir.resolve("file.txt"), "x");
    assertThat(errorOf("max_tokens: 512", "max_tokens: 512\n  category_model: empty").getMessage())
        .contains(":33: classifier.category_model: 'empty' has no config.json");
    assertThat(
            errorOf("max_tokens: 512", "max_tokens: 512\n  category_model: file.txt").getMessage())
        .contains(":33: classifier.category_model: 'file.txt' is not a directory");
  }

  @Test
  void guardsAndExamplesSettings() throws Exception {
    Path jb = modelFolder(dir.resolve("jb"));
    Path pii = modelFolder(dir.resolve("pii"));
    RouterConfig c =
        load(
            FULL.replace(
                "max_tokens: 512",
                """
        max_tokens: 512
          examples_threshold: 0.8
          jailbreak: {model: jb, threshold: 0.9}
          pii: {model: pii}"""));
    assertThat(c.classifier().examplesThreshold()).isEqualTo(0.8);
    assertThat(c.classifier().jailbreak().active()).isTrue();
    assertThat(c.classifier().jailbreak().model().dir()).isEqualTo(jb);
    assertThat(c.classifier().jailbreak().threshold()).isEqualTo(0.9);
    assertThat(c.classifier().pii().enabled()).isTrue();
    assertThat(c.classifier().pii().model().dir()).isEqualTo(pii);

    RouterConfig off =
        load(
            FULL.replace(
                "max_tokens: 512",
                "max_tokens: 512\n  jailbreak: {enabled: false}\n  pii: {enabled: false}"));
    assertThat(off.classifier().jailbreak().active()).isFalse();
    assertThat(off.classifier().pii().enabled()).isFalse();
    // PII without a model: the deterministic recognizers alone.
    assertThat(
            load(FULL.replace("max_tokens: 512", "max_tokens: 512\n  pii: {}")).classifier().pii())
        .isEqualTo(new PiiSettings(true, null));

    assertThat(
            errorOf("max_tokens: 512", "max_tokens: 512\n  jailbreak: {threshold: 0.7}")
                .getMessage())
        .contains(":33: classifier.jailbreak.model: required when the jailbreak guard is enabled");
    assertThat(
            errorOf("max_tokens: 512", "max_tokens: 512\n  jailbreak: {model: jb, threshold: 0}")
                .getMessage())
        .contains(":33: classifier.jailbreak.threshold: 0 would refuse every request");
    assertThat(
            errorOf("max_tokens: 512", "max_tokens: 512\n  jailbreak: {model: nope}").getMessage())
        .contains(":33: classifier.jailbreak.model: 'nope' does not exist");
    assertThat(errorOf("max_tokens: 512", "max_tokens: 512\n  pii: {modle: pii}").getMessage())
        .contains(":33: classifier.pii.modle: unknown key 'modle'; did you mean 'model'?");
    assertThat(errorOf("max_tokens: 512", "max_tokens: 512\n  examples_threshold: 2").getMessage())
        .contains(":33: classifier.examples_threshold: must be between 0 and 1");
  }

  private static Path modelFolder(Path p) throws Exception {
    Files.createDirectories(p);
    Files.writeString(p.resolve("config.json"), "{}");
    return p;
  }

  @Test
  void wrongShapes() throws Exception {
    assertThat(errorOf("models: [small]", "models: small").getMessage())
        .contains(":26: backends[1].models: expected a list, found 'small'");
    assertThat(errorOf("routing:\n  endpoint_picking: true", "routing: true").getMessage())
        .contains(":27: routing: expected a mapping (key: value pairs), found 'true'");
    assertThat(errorOf("endpoint_picking: true", "endpoint_picking: maybe").getMessage())
        .contains(":28: routing.endpoint_picking: expected true or false, found 'maybe'");
  }

  @Test
  void autoNamesMustNotShadowModels() throws Exception {
    assertThat(errorOf("[auto, router]", "[auto, big]").getMessage())
        .contains(":5: auto_model_names[1]: 'big' is a declared model");
  }

  @Test
  void fileProblems() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(dir.resolve("absent.yaml") + ": file not found");
    assertThatThrownBy(() -> load("")).hasMessageContaining("router.yaml:1: the file is empty");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Files.write(dir.resolve("bin.yaml"), new byte[] {'a', ':', (byte) 0xff})))
        .hasMessageContaining("not valid UTF-8");
    assertThatThrownBy(() -> load("- just\n- a list\n"))
        .hasMessageContaining("router.yaml:1: expected a mapping");
  }

  @Test
  void anchorsAndMergeKeysWork() throws Exception {
    RouterConfig c =
        load(
            """
            models: {m: , n: }
            backends:
              - &base {name: b, address: 'vllm:8000', models: [m], weight: 2}
              - <<: *base
                name: c
                models: [n]
            default_model: m
            """);
    assertThat(c.backends().get(1)).isEqualTo(new Backend("c", "vllm", 8000, List.of("n"), 2));
  }
}
