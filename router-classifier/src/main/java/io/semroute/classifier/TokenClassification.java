package io.semroute.classifier;

import java.util.List;

/**
 * One text's token-level result.
 *
 * @param entities spans of non-"O" labels
 * @param tokens every real token's label (special tokens left out)
 * @param truncated whether tokens were dropped by the truncation policy
 */
public record TokenClassification(
    List<Entity> entities, List<TokenLabel> tokens, boolean truncated) {}
