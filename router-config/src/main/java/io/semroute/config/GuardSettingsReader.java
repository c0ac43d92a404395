package io.semroute.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads the guard keys: {@code classifier.jailbreak}, {@code classifier.pii} and {@code
 * models.<name>.pii_policy}. Every key is validated with file:line:key errors; unknown keys are
 * errors.
 */
final class GuardSettingsReader {
  static final Set<String> JAILBREAK_KEYS =
      ordered(
          "enabled",
          "model",
          "block_threshold",
          "flag_threshold",
          "threshold",
          "action",
          "on_error",
          "response",
          "second_stage");
  static final Set<String> SECOND_STAGE_KEYS = ordered("model", "escalate_threshold");
  static final Set<String> PII_KEYS =
      ordered("enabled", "model", "action", "response", "min_scores");
  static final Set<String> PII_POLICY_KEYS = ordered("allow_by_default", "pii_types_allowed");
  static final List<String> JAILBREAK_ACTIONS = List.of("block", "flag");
  static final List<String> PII_ACTIONS = List.of("block", "redact");
  static final List<String> ON_ERROR = List.of("block", "allow");
  static final List<String> RESPONSES = List.of("completion", "error");

  /** Types the built-in recognizers and the shipped PII model can report (Presidio names). */
  static final Set<String> KNOWN_PII_TYPES =
      new TreeSet<>(
          List.of(
              "AGE",
              "CREDIT_CARD",
              "DATE_TIME",
              "DOMAIN_NAME",
              "EMAIL_ADDRESS",
              "GPE",
              "IBAN_CODE",
              "IP_ADDRESS",
              "NRP",
              "ORGANIZATION",
              "PERSON",
              "PHONE_NUMBER",
              "STREET_ADDRESS",
              "TITLE",
              "US_DRIVER_LICENSE",
              "US_SSN",
              "ZIP_CODE",
              "URL"));

  private final Function<YamlNode, ModelPath> modelPath;
  private YamlNode firstRestrictive;

  GuardSettingsReader(Function<YamlNode, ModelPath> modelPath) {
    this.modelPath = modelPath;
  }

  JailbreakGuardSettings jailbreak(YamlNode n) {
    if (!n.isPresent()) {
      return JailbreakGuardSettings.OFF;
    }
    Map<String, YamlNode> e = n.entries(JAILBREAK_KEYS);
    boolean enabled = YamlNode.child(e, n, "enabled").bool(true);
    ModelPath model = modelPath.apply(YamlNode.child(e, n, "model"));
    if (enabled && model == null) {
      // A guard that is "on" but has nothing to run would silently let everything through.
      throw YamlNode.child(e, n, "model")
          .error(
              "required when the jailbreak guard is enabled; set a model folder or enabled: false");
    }
    YamlNode blockNode = blockThresholdNode(e, n);
    double threshold = blockNode.number(JailbreakGuardSettings.DEFAULT_THRESHOLD, 0, 1);
    if (threshold == 0.0) {
      // The reference router's users found threshold 0 blocking every request.
      throw blockNode.error(
          "0 would refuse every request; use a value in (0, 1], e.g. "
              + JailbreakGuardSettings.DEFAULT_THRESHOLD
              + ", or enabled: false");
    }
    YamlNode flagNode = YamlNode.child(e, n, "flag_threshold");
    double flagThreshold = flagNode.number(threshold, 0, 1);
    if (flagNode.isPresent() && flagThreshold == 0.0) {
      throw flagNode.error(
          "0 would flag every request; use a value in (0, block_threshold], or leave it out");
    }
    if (flagThreshold > threshold) {
      // The flag band lies below the block threshold; above it a request is refused anyway.
      throw flagNode.error(
          "must not be above block_threshold ("
              + threshold
              + "): requests from flag_threshold up to block_threshold are forwarded flagged");
    }
    GuardAction action = action(YamlNode.child(e, n, "action"), JAILBREAK_ACTIONS);
    boolean blockOnError =
        YamlNode.child(e, n, "on_error").choice("block", ON_ERROR).equals("block");
    BlockResponse response = response(YamlNode.child(e, n, "response"));
    JailbreakSecondStage second = secondStage(YamlNode.child(e, n, "second_stage"), flagThreshold);
    return new JailbreakGuardSettings(
        enabled, model, threshold, action, blockOnError, response, flagThreshold, second);
  }

  /**
   * {@code second_stage: {model, escalate_threshold}}. The escalate threshold may not exceed the
   * flag threshold: a turn the first stage does not escalate keeps its first-stage risk, and that
   * risk must never be enough to flag or block it.
   */
  private JailbreakSecondStage secondStage(YamlNode n, double flagThreshold) {
    if (!n.isPresent()) {
      return null;
    }
    Map<String, YamlNode> e = n.entries(SECOND_STAGE_KEYS);
    YamlNode modelNode = YamlNode.child(e, n, "model");
    ModelPath model = modelPath.apply(modelNode);
    if (model == null) {
      throw modelNode.error("required: the second stage's model folder");
    }
    YamlNode escalateNode = YamlNode.child(e, n, "escalate_threshold");
    if (!escalateNode.isPresent()) {
      throw escalateNode.error(
          "required: the first-stage risk from which a turn goes to the second stage");
    }
    double escalate = escalateNode.number(0, 0, 1);
    if (escalate == 0.0) {
      throw escalateNode.error(
          "0 would send every turn to the second stage; use a value in (0, flag_threshold]");
    }
    if (escalate > flagThreshold) {
      throw escalateNode.error(
          "must not be above flag_threshold ("
              + flagThreshold
              + "): a turn below escalate_threshold is decided by the first stage alone, which"
              + " then could flag or block it");
    }
    return new JailbreakSecondStage(model, escalate);
  }

  /**
   * {@code block_threshold}, or {@code threshold}, its older name (kept so existing configs load
   * unchanged); both at once is an error at the second, since one of them would be ignored.
   */
  private static YamlNode blockThresholdNode(Map<String, YamlNode> e, YamlNode n) {
    YamlNode block = YamlNode.child(e, n, "block_threshold");
    YamlNode old = YamlNode.child(e, n, "threshold");
    if (block.isPresent() && old.isPresent()) {
      throw old.error("is the older name of block_threshold; set only one of them");
    }
    return old.isPresent() ? old : block;
  }

  PiiSettings pii(YamlNode n) {
    if (!n.isPresent()) {
      return PiiSettings.OFF;
    }
    Map<String, YamlNode> e = n.entries(PII_KEYS);
    boolean enabled = YamlNode.child(e, n, "enabled").bool(true);
    ModelPath model = modelPath.apply(YamlNode.child(e, n, "model"));
    GuardAction action = action(YamlNode.child(e, n, "action"), PII_ACTIONS);
    BlockResponse response = response(YamlNode.child(e, n, "response"));
    YamlNode floorsNode = YamlNode.child(e, n, "min_scores");
    Map<String, Double> floors = new LinkedHashMap<>();
    if (floorsNode.isPresent()) {
      for (Map.Entry<String, YamlNode> f : floorsNode.entries(null).entrySet()) {
        checkType(f.getValue(), f.getKey());
        floors.put(f.getKey(), f.getValue().number(PiiSettings.DEFAULT_MIN_SCORE, 0, 1));
      }
    }
    return new PiiSettings(enabled, model, action, response, floors);
  }

  /** {@code models.<name>.pii_policy}; absent: every type allowed. */
  PiiPolicy piiPolicy(YamlNode n) {
    if (!n.isPresent()) {
      return PiiPolicy.ALLOW_ALL;
    }
    Map<String, YamlNode> e = n.entries(PII_POLICY_KEYS);
    boolean allowByDefault = YamlNode.child(e, n, "allow_by_default").bool(true);
    YamlNode typesNode = YamlNode.child(e, n, "pii_types_allowed");
    Set<String> types = new LinkedHashSet<>();
    List<YamlNode> items = typesNode.items();
    for (YamlNode item : items) {
      String type = item.requiredString();
      checkType(item, type);
      if (!types.add(type)) {
        throw item.error("duplicate type '" + type + "'");
      }
    }
    if (allowByDefault && !types.isEmpty()) {
      // Listing allowed types while everything is allowed would read as a restriction that is not.
      throw typesNode.error(
          "has no effect with allow_by_default: true (every type is allowed);"
              + " set allow_by_default: false to allow only these types");
    }
    if (!allowByDefault && firstRestrictive == null) {
      firstRestrictive = n;
    }
    return new PiiPolicy(allowByDefault, types);
  }

  /** A restrictive pii_policy needs the PII scan, or it would silently never act. */
  void checkPolicies(PiiSettings pii) {
    if (firstRestrictive != null && !pii.enabled()) {
      throw firstRestrictive.error(
          "restricts PII types, but the PII scan is off; add a"
              + " classifier.pii block (enabled: true) or remove the policy");
    }
  }

  private static void checkType(YamlNode at, String type) {
    if (!KNOWN_PII_TYPES.contains(type)) {
      throw at.error(
          "unknown PII type '"
              + type
              + "'"
              + Suggestions.validChoices(type, KNOWN_PII_TYPES, "known types"));
    }
  }

  private static GuardAction action(YamlNode n, List<String> choices) {
    return GuardAction.valueOf(n.choice("block", choices).toUpperCase(Locale.ROOT));
  }

  private static BlockResponse response(YamlNode n) {
    return BlockResponse.valueOf(n.choice("completion", RESPONSES).toUpperCase(Locale.ROOT));
  }

  private static Set<String> ordered(String... keys) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
  }
}
