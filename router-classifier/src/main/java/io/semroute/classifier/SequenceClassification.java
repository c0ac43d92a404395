package io.semroute.classifier;

import java.util.Map;

/**
 * One text's sequence-level result.
 *
 * @param label the most probable label
 * @param confidence its softmax probability
 * @param scores softmax probability per label, in label order
 * @param logits raw classifier outputs, in label order
 * @param truncated whether the text was longer than the model's budget and was cut (head + tail)
 * @param tokenCount tokens the model saw (special tokens included)
 */
public record SequenceClassification(
    String label,
    float confidence,
    Map<String, Float> scores,
    float[] logits,
    boolean truncated,
    int tokenCount) {}
