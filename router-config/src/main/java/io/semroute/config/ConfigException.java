package io.semroute.config;

import java.nio.file.Path;

/**
 * A configuration error that names the file, the line and the key, so a user can fix it without
 * guessing. The message is complete on its own, e.g. {@code config.yaml:12:
 * categories[3].model_scores[0].model: unknown model 'qwen4'; declared models: qwen3-8b,
 * gpt-oss-20b}.
 */
public final class ConfigException extends RuntimeException {
  private final Path file;
  private final int line;
  private final String key;

  public ConfigException(Path file, int line, String key, String problem) {
    super(format(file, line, key, problem));
    this.file = file;
    this.line = line;
    this.key = key;
  }

  private static String format(Path file, int line, String key, String problem) {
    StringBuilder sb = new StringBuilder();
    sb.append(file == null ? "<config>" : file.toString());
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ");
    if (key != null && !key.isEmpty()) {
      sb.append(key).append(": ");
    }
    return sb.append(problem).toString();
  }

  public Path file() {
    return file;
  }

  /** 1-based line, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** Dotted key path such as {@code categories[2].model_scores[0].model}. */
  public String key() {
    return key;
  }
}
