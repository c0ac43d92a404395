package io.semroute.extproc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md that Maven cannot see (cycles and layering inside this
 * module), checked on the main classes; which modules this one may use is the POM's job. Plain
 * JUnit tests (not {@code @ArchTest} fields) so that surefire's {@code -Dtest=} filter runs them
 * too.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.semroute.extproc");
  }

  @Test
  void noCyclesBetweenPackages() {
    slices().matching("io.semroute.extproc.(*)..").should().beFreeOfCycles().check(classes);
  }

  /** Routing decides on text and config alone: no guards, no wire format, no server. */
  @Test
  void decisionDependsOnNeitherGuardsNorCodecNorServing() {
    noClasses()
        .that()
        .resideInAPackage("io.semroute.extproc.decision..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.semroute.extproc.guard..",
            "io.semroute.extproc.openai..",
            "io.semroute.extproc.server..",
            "io.semroute.extproc.pipeline..",
            "io.semroute.extproc.processor..",
            "io.semroute.extproc.envoy..",
            "io.semroute.extproc.classifiers..")
        .check(classes);
  }

  /**
   * Limits and breakers are plain state with a clock: the request path calls them, never the other
   * way round.
   */
  @Test
  void limitsDependOnNoRequestPathPackage() {
    noClasses()
        .that()
        .resideInAPackage("io.semroute.extproc.limits..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.semroute.extproc.server..",
            "io.semroute.extproc.pipeline..",
            "io.semroute.extproc.processor..",
            "io.semroute.extproc.envoy..")
        .check(classes);
  }

  /** The classifier runtime's API is used in one package only (loaders and batchers). */
  @Test
  void classifierRuntimeOnlyInTheClassifiersPackage() {
    noClasses()
        .that()
        .resideInAPackage("io.semroute.extproc.(*)..")
        .and()
        .resideOutsideOfPackage("io.semroute.extproc.classifiers..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.semroute.classifier..")
        .check(classes);
  }
}
