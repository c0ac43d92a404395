package io.semroute.config;

import java.util.Collection;
import java.util.Set;

/**
 * Which detected PII types a model may see ({@code models.<name>.pii_policy}; keys as in the
 * reference router).
 *
 * @param allowByDefault true (default): every type is allowed; false: only {@code typesAllowed}
 * @param typesAllowed the types allowed when {@code allowByDefault} is false
 */
public record PiiPolicy(boolean allowByDefault, Set<String> typesAllowed) {
  public static final PiiPolicy ALLOW_ALL = new PiiPolicy(true, Set.of());

  public PiiPolicy {
    typesAllowed = Set.copyOf(typesAllowed);
  }

  public boolean allows(String type) {
    return allowByDefault || typesAllowed.contains(type);
  }

  /** Whether every one of these types is allowed. */
  public boolean allowsAll(Collection<String> types) {
    return types.stream().allMatch(this::allows);
  }
}
