package io.semroute.app;

import io.semroute.config.ConfigException;
import io.semroute.config.ConfigLoader;
import io.semroute.config.ModelPath;
import io.semroute.config.RouterConfig;
import io.semroute.tools.cli.ClassifyCommand;
import java.nio.file.Path;

/**
 * {@code classify --config}: the model a router config uses for a task, so batch classification
 * runs exactly what {@code serve} would. Lives here because the classifier module does not read
 * router configs.
 */
final class ConfigTaskModels implements ClassifyCommand.TaskModels {

  @Override
  public Path modelFor(Path configFile, ClassifyCommand.Task task) {
    RouterConfig cfg;
    try {
      cfg = ConfigLoader.load(configFile);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    ModelPath configured =
        switch (task) {
          case category -> cfg.classifier().categoryModel();
          case jailbreak -> cfg.classifier().jailbreak().model();
          case pii -> cfg.classifier().pii().model();
          case routing ->
              null; // the outcomes folder is named by a decision's signal, not a classifier key
        };
    Path model = configured == null ? null : configured.dir();
    if (model == null) {
      throw new IllegalArgumentException(
          configFile
              + ": no model configured for task "
              + task
              + " ("
              + keyOf(task)
              + "); give --model DIR instead");
    }
    return model;
  }

  private static String keyOf(ClassifyCommand.Task task) {
    return switch (task) {
      case category -> "classifier.category_model";
      case jailbreak -> "classifier.jailbreak.model";
      case pii -> "classifier.pii.model";
      case routing -> "no config key";
    };
  }
}
