package io.semroute.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the composed YAML tree into a {@link RouterConfig}, section by section, checking types,
 * ranges and cross references as it goes. Each method owns one section of the file; the key sets
 * below are the whole schema (anything else is rejected as a typo).
 */
final class RouterConfigReader {
  static final Set<String> TOP_KEYS =
      orderedSet(
          "listeners",
          "auto_model_names",
          "default_model",
          "default_reasoning_effort",
          "reasoning_families",
          "models",
          "backends",
          "categories",
          "routing",
          "classifier",
          "semantic_cache",
          "logging",
          "tracing",
          "signals",
          "decisions",
          "rate_limits",
          "resilience");
  static final Set<String> LISTENER_KEYS =
      orderedSet(
          "grpc_port",
          "http_port",
          "metrics_port",
          "grpc_tls",
          "api_token_env",
          "max_in_flight",
          "on_overload");
  static final Set<String> FAMILY_KEYS = orderedSet("type", "parameter");
  static final Set<String> MODEL_KEYS =
      orderedSet("reasoning_family", "default_reasoning_effort", "pricing", "pii_policy", "limits");
  static final Set<String> PRICING_KEYS =
      orderedSet("prompt_per_1m", "completion_per_1m", "currency");
  static final Set<String> BACKEND_KEYS = orderedSet("name", "address", "models", "weight");
  static final Set<String> CATEGORY_KEYS =
      orderedSet("name", "description", "model_scores", "system_prompt", "keywords", "examples");
  static final Set<String> SCORE_KEYS =
      orderedSet("model", "score", "use_reasoning", "reasoning_effort");
  static final Set<String> SYSTEM_PROMPT_KEYS = orderedSet("text", "mode");
  static final Set<String> KEYWORD_KEYS = orderedSet("words", "regex", "score");
  static final Set<String> ROUTING_KEYS = orderedSet("endpoint_picking");
  static final Set<String> CLASSIFIER_KEYS =
      orderedSet(
          "device",
          "category_threshold",
          "category_model",
          "max_tokens",
          "examples_threshold",
          "jailbreak",
          "pii",
          "catch_all_category");

  static final List<String> EFFORTS = List.of("low", "medium", "high");
  static final List<String> FAMILY_TYPES =
      List.of(
          ReasoningFamily.Type.CHAT_TEMPLATE_KWARGS.yamlName(),
          ReasoningFamily.Type.REASONING_EFFORT.yamlName());
  static final List<String> PROMPT_MODES = List.of("insert", "replace");
  static final double DEFAULT_KEYWORD_SCORE = 1.0;
  private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu:\\d{1,3}");

  private final Path file;
  private final GuardSettingsReader guards = new GuardSettingsReader(this::modelPath);

  RouterConfigReader(Path file) {
    this.file = file;
  }

  RouterConfig read(YamlNode root) {
    if (!root.isPresent()) {
      throw root.error(
          "the file is empty; at least 'models', 'backends' and 'default_model' are required");
    }
    Map<String, YamlNode> top = root.entries(TOP_KEYS);
    Listeners listeners = listeners(YamlNode.child(top, root, "listeners"));
    String defaultEffort =
        YamlNode.child(top, root, "default_reasoning_effort").choice("medium", EFFORTS);
    Map<String, ReasoningFamily> families =
        reasoningFamilies(YamlNode.child(top, root, "reasoning_families"));
    Map<String, ModelSpec> models =
        models(YamlNode.child(top, root, "models"), families, defaultEffort);
    List<Backend> backends = backends(YamlNode.child(top, root, "backends"), models);

    YamlNode defaultModelNode = YamlNode.child(top, root, "default_model");
    String defaultModel = defaultModelNode.requiredString();
    requireModel(defaultModelNode, defaultModel, models);

    Set<String> autoNames = autoModelNames(YamlNode.child(top, root, "auto_model_names"), models);
    List<Category> categories =
        categories(YamlNode.child(top, root, "categories"), models, families);
    RoutingOutput routing = routing(YamlNode.child(top, root, "routing"));
    ClassifierSettings classifier = classifier(YamlNode.child(top, root, "classifier"), categories);
    OperationsSettings operations =
        new OperationsSettingsReader(file)
            .read(
                YamlNode.child(top, root, "listeners"),
                YamlNode.child(top, root, "logging"),
                YamlNode.child(top, root, "tracing"));
    guards.checkPolicies(classifier.pii());
    DecisionSettings decisions =
        new DecisionSettingsReader(file, this, models, families, categories)
            .read(YamlNode.child(top, root, "signals"), YamlNode.child(top, root, "decisions"));
    Set<String> decisionNames = new LinkedHashSet<>();
    decisions.decisions().forEach(d -> decisionNames.add(d.name()));
    RateLimitSettings rateLimits =
        RateLimitReader.read(
            YamlNode.child(top, root, "rate_limits"), models.keySet(), decisionNames);

    return new RouterConfig(
        file,
        listeners,
        backends,
        models,
        families,
        categories,
        defaultModel,
        autoNames,
        routing,
        classifier,
        SemanticCacheReader.read(YamlNode.child(top, root, "semantic_cache")),
        operations,
        decisions,
        rateLimits,
        ResilienceReader.read(YamlNode.child(top, root, "resilience")));
  }

  // ---- listeners ------------------------------------------------------------------------

  private Listeners listeners(YamlNode n) {
    if (!n.isPresent()) {
      return Listeners.DEFAULTS;
    }
    Map<String, YamlNode> e = n.entries(LISTENER_KEYS);
    Listeners d = Listeners.DEFAULTS;
    // 0 asks the OS for a free port (handy in tests); otherwise a real port number.
    YamlNode g = YamlNode.child(e, n, "grpc_port");
    YamlNode h = YamlNode.child(e, n, "http_port");
    YamlNode m = YamlNode.child(e, n, "metrics_port");
    Listeners l =
        new Listeners(
            g.integer(d.grpcPort(), 0, 65535),
            h.integer(d.httpPort(), 0, 65535),
            m.integer(d.metricsPort(), 0, 65535),
            YamlNode.child(e, n, "max_in_flight").integer(d.maxInFlight(), 1, 100_000),
            Listeners.Overload.valueOf(
                YamlNode.child(e, n, "on_overload")
                    .choice("default_model", List.of("default_model", "reject"))
                    .toUpperCase(Locale.ROOT)));
    if (l.httpPort() != 0 && l.httpPort() == l.grpcPort()) {
      throw h.error("port " + l.httpPort() + " is already used by grpc_port");
    }
    if (l.metricsPort() != 0
        && (l.metricsPort() == l.grpcPort() || l.metricsPort() == l.httpPort())) {
      throw m.error(
          "port "
              + l.metricsPort()
              + " is already used by "
              + (l.metricsPort() == l.grpcPort() ? "grpc_port" : "http_port"));
    }
    return l;
  }

  // ---- reasoning families and models ----------------------------------------------------

  private Map<String, ReasoningFamily> reasoningFamilies(YamlNode n) {
    Map<String, ReasoningFamily> out = new LinkedHashMap<>();
    if (!n.isPresent()) {
      return out;
    }
    for (Map.Entry<String, YamlNode> entry : n.entries(null).entrySet()) {
      YamlNode f = entry.getValue();
      Map<String, YamlNode> e = f.entries(FAMILY_KEYS);
      String typeName = YamlNode.child(e, f, "type").choice(null, FAMILY_TYPES);
      if (typeName == null) {
        throw YamlNode.child(e, f, "type")
            .error("required key is missing; valid values: " + String.join(", ", FAMILY_TYPES));
      }
      ReasoningFamily.Type type =
          typeName.equals("reasoning_effort")
              ? ReasoningFamily.Type.REASONING_EFFORT
              : ReasoningFamily.Type.CHAT_TEMPLATE_KWARGS;
      YamlNode p = YamlNode.child(e, f, "parameter");
      // gpt-oss style families name the field after the type; chat templates vary per model.
      String parameter =
          type == ReasoningFamily.Type.REASONING_EFFORT
              ? p.string("reasoning_effort")
              : p.requiredString();
      out.put(entry.getKey(), new ReasoningFamily(entry.getKey(), type, parameter));
    }
    return out;
  }

  private Map<String, ModelSpec> models(
      YamlNode n, Map<String, ReasoningFamily> families, String defaultEffort) {
    if (!n.isPresent()) {
      throw n.missing();
    }
    Map<String, YamlNode> entries = n.entries(null);
    if (entries.isEmpty()) {
      throw n.error("declare at least one model");
    }
    Map<String, ModelSpec> out = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> entry : entries.entrySet()) {
      String name = entry.getKey();
      YamlNode m = entry.getValue();
      if (!m.isPresent()) { // "llama:" with nothing under it: a model with no options
        out.put(name, new ModelSpec(name, null, defaultEffort, null));
        continue;
      }
      Map<String, YamlNode> e = m.entries(MODEL_KEYS);
      YamlNode familyNode = YamlNode.child(e, m, "reasoning_family");
      String family = familyNode.string(null);
      if (family != null && !families.containsKey(family)) {
        throw familyNode.error(
            "unknown reasoning family '"
                + family
                + "'"
                + Suggestions.validChoices(
                    family, families.keySet(), "declared reasoning_families"));
      }
      String effort =
          YamlNode.child(e, m, "default_reasoning_effort").choice(defaultEffort, EFFORTS);
      out.put(
          name,
          new ModelSpec(
              name,
              family,
              effort,
              pricing(YamlNode.child(e, m, "pricing")),
              guards.piiPolicy(YamlNode.child(e, m, "pii_policy")),
              RateLimitReader.modelLimits(YamlNode.child(e, m, "limits"))));
    }
    return out;
  }

  private Pricing pricing(YamlNode n) {
    if (!n.isPresent()) {
      return null;
    }
    Map<String, YamlNode> e = n.entries(PRICING_KEYS);
    return new Pricing(
        YamlNode.child(e, n, "prompt_per_1m").number(0, 0, Double.MAX_VALUE),
        YamlNode.child(e, n, "completion_per_1m").number(0, 0, Double.MAX_VALUE),
        YamlNode.child(e, n, "currency").string("USD"));
  }

  // ---- backends -------------------------------------------------------------------------

  private List<Backend> backends(YamlNode n, Map<String, ModelSpec> models) {
    if (!n.isPresent()) {
      throw n.missing();
    }
    List<YamlNode> items = n.items();
    if (items.isEmpty()) {
      throw n.error("declare at least one backend");
    }
    List<Backend> out = new ArrayList<>();
    UniqueNames names = new UniqueNames("backend");
    Set<String> served = new LinkedHashSet<>();
    for (YamlNode b : items) {
      Map<String, YamlNode> e = b.entries(BACKEND_KEYS);
      String name = names.take(YamlNode.child(e, b, "name"));
      YamlNode addressNode = YamlNode.child(e, b, "address");
      HostPort address;
      try {
        address = HostPort.parse(addressNode.requiredString());
      } catch (IllegalArgumentException ex) {
        throw addressNode.error(ex.getMessage());
      }
      YamlNode modelsNode = YamlNode.child(e, b, "models");
      if (!modelsNode.isPresent()) {
        throw modelsNode.missing();
      }
      List<String> backendModels = new ArrayList<>();
      for (YamlNode m : modelsNode.items()) {
        String model = m.requiredString();
        requireModel(m, model, models);
        if (backendModels.contains(model)) {
          throw m.error("model '" + model + "' is listed twice");
        }
        backendModels.add(model);
      }
      if (backendModels.isEmpty()) {
        throw modelsNode.error("list at least one model this backend serves");
      }
      served.addAll(backendModels);
      int weight = YamlNode.child(e, b, "weight").integer(1, 1, 1_000_000);
      out.add(new Backend(name, address.host(), address.port(), backendModels, weight));
    }
    // A declared model nobody serves would be chosen and then fail at Envoy: refuse it now.
    for (String model : models.keySet()) {
      if (!served.contains(model)) {
        throw n.error(
            "model '"
                + model
                + "' is declared but no backend serves it; add it to a backend's models");
      }
    }
    return out;
  }

  // ---- auto names -----------------------------------------------------------------------

  private Set<String> autoModelNames(YamlNode n, Map<String, ModelSpec> models) {
    if (!n.isPresent()) {
      return Set.of("auto");
    }
    Set<String> out = new LinkedHashSet<>();
    for (YamlNode item : n.items()) {
      String name = item.requiredString();
      if (models.containsKey(name)) {
        throw item.error(
            "'" + name + "' is a declared model; it cannot also mean \"route for me\"");
      }
      if (!out.add(name)) {
        throw item.error("'" + name + "' is listed twice");
      }
    }
    if (out.isEmpty()) {
      throw n.error("list at least one name (default: [auto])");
    }
    return out;
  }

  // ---- categories -----------------------------------------------------------------------

  private List<Category> categories(
      YamlNode n, Map<String, ModelSpec> models, Map<String, ReasoningFamily> families) {
    List<Category> out = new ArrayList<>();
    UniqueNames names = new UniqueNames("category");
    for (YamlNode c : n.items()) {
      Map<String, YamlNode> e = c.entries(CATEGORY_KEYS);
      String name = names.take(YamlNode.child(e, c, "name"));
      String description = YamlNode.child(e, c, "description").string("");
      List<ModelScore> scores = modelScores(YamlNode.child(e, c, "model_scores"), models);
      SystemPrompt prompt = systemPrompt(YamlNode.child(e, c, "system_prompt"));
      List<KeywordRule> keywords = keywordRules(YamlNode.child(e, c, "keywords"));
      List<String> examples = YamlNode.child(e, c, "examples").stringList();
      out.add(new Category(name, description, scores, prompt, keywords, examples));
    }
    return out;
  }

  private List<ModelScore> modelScores(YamlNode n, Map<String, ModelSpec> models) {
    if (!n.isPresent()) {
      throw n.missing();
    }
    List<ModelScore> out = new ArrayList<>();
    for (YamlNode s : n.items()) {
      Map<String, YamlNode> e = s.entries(SCORE_KEYS);
      YamlNode modelNode = YamlNode.child(e, s, "model");
      String model = modelNode.requiredString();
      requireModel(modelNode, model, models);
      if (out.stream().anyMatch(x -> x.model().equals(model))) {
        throw modelNode.error("model '" + model + "' is scored twice in this category");
      }
      YamlNode scoreNode = YamlNode.child(e, s, "score");
      if (!scoreNode.isPresent()) {
        throw scoreNode.missing();
      }
      double score = scoreNode.number(0, 0, 1);
      YamlNode useNode = YamlNode.child(e, s, "use_reasoning");
      boolean useReasoning = useNode.bool(false);
      ModelSpec spec = models.get(model);
      if (useReasoning && spec.reasoningFamily() == null) {
        // Silently sending a request without the switch is the failure users complained about.
        throw useNode.error(
            "model '"
                + model
                + "' has no reasoning_family, so reasoning cannot be switched on; "
                + "give the model a reasoning_family or set use_reasoning: false");
      }
      String effort = YamlNode.child(e, s, "reasoning_effort").choice(null, EFFORTS);
      out.add(new ModelScore(model, score, useReasoning, effort));
    }
    if (out.isEmpty()) {
      throw n.error("score at least one model");
    }
    // Best first (stable for equal scores, so file order breaks ties).
    out.sort(Comparator.comparingDouble(ModelScore::score).reversed());
    return out;
  }

  SystemPrompt systemPrompt(YamlNode n) {
    if (!n.isPresent()) {
      return null;
    }
    if (n.isScalar()) {
      return new SystemPrompt(n.requiredString(), SystemPrompt.Mode.INSERT);
    }
    Map<String, YamlNode> e = n.entries(SYSTEM_PROMPT_KEYS);
    String text = YamlNode.child(e, n, "text").requiredString();
    String mode = YamlNode.child(e, n, "mode").choice("insert", PROMPT_MODES);
    return new SystemPrompt(
        text, mode.equals("replace") ? SystemPrompt.Mode.REPLACE : SystemPrompt.Mode.INSERT);
  }

  private List<KeywordRule> keywordRules(YamlNode n) {
    List<KeywordRule> out = new ArrayList<>();
    for (YamlNode r : n.items()) {
      Map<String, YamlNode> e = r.entries(KEYWORD_KEYS);
      List<String> words = YamlNode.child(e, r, "words").stringList();
      YamlNode regexNode = YamlNode.child(e, r, "regex");
      List<String> regex = new ArrayList<>();
      for (YamlNode item : regexNode.items()) {
        String source = item.requiredString();
        try {
          KeywordPatterns.compileRegex(source);
        } catch (PatternSyntaxException ex) {
          throw item.error(
              "invalid regex: "
                  + ex.getDescription()
                  + " near index "
                  + ex.getIndex()
                  + " in '"
                  + source
                  + "'");
        }
        regex.add(source);
      }
      if (words.isEmpty() && regex.isEmpty()) {
        throw r.error("a keyword rule needs at least one entry in 'words' or 'regex'");
      }
      double score = YamlNode.child(e, r, "score").number(DEFAULT_KEYWORD_SCORE, 0, 1);
      out.add(new KeywordRule(words, regex, score));
    }
    return out;
  }

  // ---- routing and classifier -----------------------------------------------------------

  private RoutingOutput routing(YamlNode n) {
    if (!n.isPresent()) {
      return RoutingOutput.DEFAULTS;
    }
    Map<String, YamlNode> e = n.entries(ROUTING_KEYS);
    return new RoutingOutput(
        YamlNode.child(e, n, "endpoint_picking").bool(RoutingOutput.DEFAULTS.endpointPicking()));
  }

  private ClassifierSettings classifier(YamlNode n, List<Category> categories) {
    ClassifierSettings d = ClassifierSettings.DEFAULTS;
    if (!n.isPresent()) {
      return d;
    }
    Map<String, YamlNode> e = n.entries(CLASSIFIER_KEYS);
    YamlNode deviceNode = YamlNode.child(e, n, "device");
    String device = deviceNode.string(d.device()).toLowerCase(Locale.ROOT);
    if (!DEVICE.matcher(device).matches()) {
      throw deviceNode.error(
          "invalid device '" + device + "'; valid values: auto, cpu, gpu:N (e.g. gpu:0)");
    }
    double threshold =
        YamlNode.child(e, n, "category_threshold").number(d.categoryThreshold(), 0, 1);
    ModelPath categoryModel = modelPath(YamlNode.child(e, n, "category_model"));
    int maxTokens = YamlNode.child(e, n, "max_tokens").integer(d.maxTokens(), 0, 1_000_000);
    double examplesThreshold =
        YamlNode.child(e, n, "examples_threshold").number(d.examplesThreshold(), 0, 1);
    YamlNode catchAllNode = YamlNode.child(e, n, "catch_all_category");
    String catchAll = catchAllNode.isPresent() ? catchAllNode.requiredString() : null;
    if (catchAll != null) {
      // A misspelt name would silently switch the follow-up policy off.
      Set<String> names = new LinkedHashSet<>();
      categories.forEach(c -> names.add(c.name()));
      if (!names.contains(catchAll)) {
        throw catchAllNode.error(
            "unknown category '"
                + catchAll
                + "'"
                + Suggestions.validChoices(catchAll, names, "declared categories"));
      }
    }
    return new ClassifierSettings(
        device,
        threshold,
        categoryModel,
        maxTokens,
        examplesThreshold,
        guards.jailbreak(YamlNode.child(e, n, "jailbreak")),
        guards.pii(YamlNode.child(e, n, "pii")),
        catchAll);
  }

  ModelPath modelPath(YamlNode n) {
    Path dir = existingPath(n);
    return dir == null ? null : new ModelPath(dir, new ConfigLocation(file, n.line(), n.path()));
  }

  /**
   * The path a value names, relative to the config file's directory (so a config and the files it
   * names move together), normalised; null when the value is absent.
   */
  static Path resolvePath(Path configFile, YamlNode n) {
    String text = n.string(null);
    if (text == null) {
      return null;
    }
    Path p;
    try {
      p = Path.of(text);
    } catch (InvalidPathException ex) {
      throw n.error("invalid path '" + text + "': " + ex.getReason());
    }
    if (!p.isAbsolute()) {
      Path dir = configFile == null ? null : configFile.toAbsolutePath().getParent();
      p = dir == null ? p.toAbsolutePath() : dir.resolve(p);
    }
    return p.normalize();
  }

  /** A model folder: {@link #resolvePath}, and it must hold a config.json. */
  private Path existingPath(YamlNode n) {
    Path p = resolvePath(file, n);
    if (p == null) {
      return null;
    }
    String text = n.string(null);
    if (!Files.exists(p)) {
      throw n.error("'" + text + "' does not exist (resolved to " + p + ")");
    }
    if (!Files.isDirectory(p)) {
      throw n.error(
          "'"
              + text
              + "' is not a directory (resolved to "
              + p
              + "); a model is a folder with config.json");
    }
    if (!Files.isRegularFile(p.resolve("config.json"))) {
      throw n.error(
          "'"
              + text
              + "' has no config.json (resolved to "
              + p
              + "); expected a Hugging Face"
              + " model folder or a head-only model folder as written by 'train'");
    }
    return p;
  }

  // ---- helpers --------------------------------------------------------------------------

  static void requireModel(YamlNode at, String model, Map<String, ModelSpec> models) {
    if (!models.containsKey(model)) {
      throw at.error(
          "unknown model '"
              + model
              + "'"
              + Suggestions.validChoices(model, models.keySet(), "declared models"));
    }
  }

  static Set<String> orderedSet(String... keys) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
  }
}
