package io.semroute.extproc.classifiers;

import io.semroute.config.RouterConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What {@code GET /info/models} shows about the open classifiers of a config. */
public final class ClassifierInfo {
  private ClassifierInfo() {}

  /**
   * One entry per classifier role the config uses: role, kind, path, device, token limit, labels.
   */
  public static List<Map<String, Object>> describe(ClassifierCache cache, RouterConfig cfg) {
    List<Map<String, Object>> out = new ArrayList<>();
    add(out, "category", RequiredClassifiers.category(cfg), cache);
    add(out, "jailbreak", RequiredClassifiers.jailbreak(cfg), cache);
    add(out, "pii", RequiredClassifiers.pii(cfg), cache);
    add(out, "embedding", RequiredClassifiers.embedder(cfg), cache);
    return out;
  }

  private static void add(
      List<Map<String, Object>> out,
      String role,
      Optional<ClassifierKey> key,
      ClassifierCache cache) {
    if (key.isEmpty()) {
      return;
    }
    ClassifierKey k = key.get();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", role);
    m.put("kind", k.kind().name().toLowerCase(Locale.ROOT));
    m.put("path", k.dir() == null ? "built-in" : k.dir().toString());
    m.put("device", k.device());
    m.put("max_tokens", k.maxTokens() == 0 ? "model default" : k.maxTokens());
    boolean loaded = cache != null && cache.keys().contains(k);
    m.put("loaded", loaded);
    if (loaded && cache.get(k) instanceof LoadedSequenceClassifier s) {
      m.put("labels", s.labels());
    }
    out.add(m);
  }
}
