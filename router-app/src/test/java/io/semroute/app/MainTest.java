package io.semroute.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code router.jar} has exactly the subcommands the README's table documents: a subcommand added
 * to {@link Main} without a row, or a row naming a subcommand that does not exist, fails.
 */
class MainTest {
  private static final String SECTION = "## Subcommands";

  /** A table row whose first cell starts with a code span; group 1 is the command's name. */
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z][a-z0-9-]*)[^`]*` \\|");

  @Test
  void readmeSubcommandTableMatchesTheRegisteredSubcommands() throws IOException {
    Set<String> documented = documentedSubcommands(Fixtures.repo("README.md"));

    assertThat(documented).as("subcommands in README's table").isNotEmpty();
    assertThat(new TreeSet<>(Main.commandLine().getSubcommands().keySet()))
        .as("subcommands of router.jar vs the rows of README's \"%s\" table", SECTION)
        .containsExactlyInAnyOrderElementsOf(documented);
  }

  /** The command names in the first column of the table under {@link #SECTION}. */
  private static Set<String> documentedSubcommands(Path readme) throws IOException {
    List<String> lines = Files.readAllLines(readme);
    int start = lines.indexOf(SECTION);
    assertThat(start).as("a \"%s\" section in %s", SECTION, readme).isNotNegative();
    Set<String> names = new TreeSet<>();
    boolean inTable = false;
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      if (line.startsWith("|")) {
        inTable = true;
        Matcher m = ROW.matcher(line);
        if (m.find()) {
          names.add(m.group(1));
        }
      } else if (inTable) {
        break;
      }
    }
    return names;
  }
}
