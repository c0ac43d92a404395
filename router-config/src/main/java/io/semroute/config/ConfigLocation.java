package io.semroute.config;

import java.nio.file.Path;

/**
 * Where a value sits in the config file. Kept with values that are only checked after loading (a
 * model's labels are known once the model is opened, outside this module), so those later checks
 * still report {@code file:line: key: problem} like every other config error.
 */
public record ConfigLocation(Path file, int line, String key) {

  /** An error at this place, formatted like every other config error. */
  public ConfigException error(String problem) {
    return new ConfigException(file, line, key, problem);
  }

  @Override
  public String toString() {
    return (file == null ? "<config>" : file.toString()) + ":" + line + ": " + key;
  }
}
