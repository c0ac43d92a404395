package io.semroute.config;

import java.nio.file.Path;

/**
 * A configured model directory: the resolved, existing path and where it was configured. Which
 * layout the directory has (Hugging Face checkpoint or head-only model over the built-in encoder)
 * is for the classifier module to find out; a problem it finds is reported at {@link #at()}.
 *
 * @param dir absolute, normalised path (relative paths resolve against the config file's folder)
 */
public record ModelPath(Path dir, ConfigLocation at) {

  public ConfigException error(String problem) {
    return at.error(problem);
  }
}
