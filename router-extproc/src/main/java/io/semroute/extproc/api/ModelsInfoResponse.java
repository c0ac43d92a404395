package io.semroute.extproc.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /info/models}: the classifiers the config uses, the models routed to and their
 * backends, the default model and the categories.
 *
 * @param classifiers as {@code ClassifierInfo} describes them
 */
record ModelsInfoResponse(
    List<Map<String, Object>> classifiers,
    List<Model> models,
    String defaultModel,
    List<String> categories) {

  /**
   * @param reasoningFamily absent when the model has none
   * @param backends names of the backends that serve the model
   */
  record Model(
      String name, @JsonInclude(Include.NON_NULL) String reasoningFamily, List<String> backends) {}
}
