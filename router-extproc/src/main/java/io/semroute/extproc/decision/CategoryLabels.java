package io.semroute.extproc.decision;

import io.semroute.config.Category;
import io.semroute.config.ModelPath;
import io.semroute.config.RouterConfig;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a category model's labels against the config's categories, once, when the model is put in
 * service (config load or reload), so a mismatch is a config error rather than requests quietly
 * falling to the default model.
 *
 * <p>Policy:
 *
 * <ul>
 *   <li>Error if no label is a category name: the model could never route anything (typically a
 *       checkpoint with {@code LABEL_0...} labels, or categories named differently).
 *   <li>Error if a category is not a label and has neither keywords nor examples: nothing could
 *       ever choose it (typically a typo, {@code computer_science} for {@code computer science}).
 *   <li>Labels that are not categories are allowed (a config may route only some domains); texts
 *       the model puts there go to the default model. Logged once at load.
 * </ul>
 *
 * Errors name the file, line and key of {@code classifier.category_model}.
 */
public final class CategoryLabels {
  private static final Logger log = LoggerFactory.getLogger(CategoryLabels.class);

  private CategoryLabels() {}

  public static void check(RouterConfig config, List<String> labels) {
    ModelPath model = config.classifier().categoryModel();
    Set<String> labelSet = new LinkedHashSet<>(labels);
    List<String> names = config.categories().stream().map(Category::name).toList();
    if (names.stream().noneMatch(labelSet::contains)) {
      throw model.error(
          "none of the model's labels is a category name, so it could never route a"
              + " request; model labels: "
              + String.join(", ", labels)
              + "; categories: "
              + String.join(", ", names)
              + ". Name the categories after the labels (id2label in the"
              + " model's config.json, or its category_mapping.json)");
    }
    for (Category c : config.categories()) {
      if (!labelSet.contains(c.name()) && c.keywords().isEmpty() && c.examples().isEmpty()) {
        throw model.error(
            "category '"
                + c.name()
                + "' is not a label of the model and has no"
                + " keywords or examples, so nothing can route to it; model labels: "
                + String.join(", ", labels));
      }
    }
    List<String> unrouted = labels.stream().filter(l -> !names.contains(l)).toList();
    if (!unrouted.isEmpty()) {
      log.info(
          "category model {}: labels {} are not categories; texts classified as them go to"
              + " the default model",
          model.dir(),
          unrouted);
    }
  }
}
