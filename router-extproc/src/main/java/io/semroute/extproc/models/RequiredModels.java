package io.semroute.extproc.models;

import io.semroute.config.ClassifierSettings;
import io.semroute.config.ModelPath;
import io.semroute.config.RouterConfig;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Which models a config needs, as cache keys (the single place that maps settings to keys). */
public final class RequiredModels {
  private RequiredModels() {}

  public static Optional<ModelKey> category(RouterConfig cfg) {
    return sequence(cfg.classifier(), cfg.classifier().categoryModel());
  }

  public static Optional<ModelKey> jailbreak(RouterConfig cfg) {
    ClassifierSettings c = cfg.classifier();
    return c.jailbreak().active() ? sequence(c, c.jailbreak().model()) : Optional.empty();
  }

  public static Optional<ModelKey> pii(RouterConfig cfg) {
    ClassifierSettings c = cfg.classifier();
    if (!c.pii().enabled()) {
      return Optional.empty();
    }
    ModelPath m = c.pii().model();
    return Optional.of(new ModelKey(ModelKey.Kind.PII, m == null ? null : m.dir(), c.device(), c.maxTokens()));
  }

  /** The built-in embedder, needed as soon as any category lists {@code examples:}. */
  public static Optional<ModelKey> embedder(RouterConfig cfg) {
    boolean any = cfg.categories().stream().anyMatch(cat -> !cat.examples().isEmpty());
    ClassifierSettings c = cfg.classifier();
    return any ? Optional.of(new ModelKey(ModelKey.Kind.EMBEDDER, null, c.device(), 0)) : Optional.empty();
  }

  public static Set<ModelKey> of(RouterConfig cfg) {
    Set<ModelKey> out = new LinkedHashSet<>();
    category(cfg).ifPresent(out::add);
    jailbreak(cfg).ifPresent(out::add);
    pii(cfg).ifPresent(out::add);
    embedder(cfg).ifPresent(out::add);
    return out;
  }

  private static Optional<ModelKey> sequence(ClassifierSettings c, ModelPath path) {
    return path == null
        ? Optional.empty()
        : Optional.of(new ModelKey(ModelKey.Kind.SEQUENCE, path.dir(), c.device(), c.maxTokens()));
  }
}
