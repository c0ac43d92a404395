package io.semroute.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * YAML file → validated, immutable {@link RouterConfig}. Every problem, from a YAML syntax error to
 * a category scoring an undeclared model, comes out as one {@link ConfigException} naming the file,
 * line and key. The schema and defaults are described in docs/configuration.md.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** Reads and validates {@code file}. Relative paths inside resolve against its directory. */
  public static RouterConfig load(Path file) {
    return parse(decode(file, readBytes(file)), file);
  }

  static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file, 0, null, "file not found");
    } catch (IOException e) {
      throw new ConfigException(file, 0, null, "cannot read: " + e);
    }
  }

  /** Strict UTF-8: a mis-encoded file must fail loudly, not route on mangled keywords. */
  static String decode(Path file, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(file, 0, null, "not valid UTF-8 text");
    }
  }

  /**
   * Validates YAML text as if it were the content of {@code file} (used in messages and to resolve
   * relative paths; may be null, then paths resolve against the working directory).
   */
  public static RouterConfig parse(String yamlText, Path file) {
    Node root = compose(yamlText, file);
    return new RouterConfigReader(file).read(YamlNode.root(file, root));
  }

  private static Node compose(String yamlText, Path file) {
    LoaderOptions options = new LoaderOptions();
    // Alias bombs are a denial of service; a routing config never needs many aliases.
    options.setMaxAliasesForCollections(100);
    options.setAllowRecursiveKeys(false);
    try {
      return new Yaml(new SafeConstructor(options)).compose(new StringReader(yamlText));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 0 : mark.getLine() + 1;
      String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      throw new ConfigException(file, line, null, "YAML syntax error: " + problem + context);
    } catch (YAMLException e) {
      throw new ConfigException(file, 0, null, "YAML error: " + e.getMessage());
    }
  }
}
