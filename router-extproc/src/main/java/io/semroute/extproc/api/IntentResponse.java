package io.semroute.extproc.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/**
 * {@code POST /api/v1/classify/intent}: the category and the model the router would pick.
 *
 * @param probabilities every category's score; absent when the caller turned {@code
 *     options.return_probabilities} off
 * @param routingDecision how the model was chosen (the decision log's reason label)
 * @param reasoningEffort absent when the route sets none
 */
record IntentResponse(
    TopCategory classification,
    @JsonInclude(Include.NON_NULL) Map<String, Double> probabilities,
    String recommendedModel,
    String routingDecision,
    boolean useReasoning,
    @JsonInclude(Include.NON_NULL) String reasoningEffort,
    String reason)
    implements ClassifyResult {

  /**
   * @param category the best category, or {@code unknown}
   */
  record TopCategory(String category, double confidence, double processingTimeMs) {}
}
