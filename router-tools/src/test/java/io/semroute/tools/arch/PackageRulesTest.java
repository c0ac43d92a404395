package io.semroute.tools.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The tools sit on the runtime and nothing sits on the tools: no package cycles across tools and
 * runtime ({@code io.semroute.(**)}: every package its own slice), and the runtime never depends on
 * a tool.
 */
@AnalyzeClasses(
    packages = {"io.semroute.tools", "io.semroute.classifier"},
    importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {
  // Rules run from methods, not @ArchTest fields: surefire 3.5.3 skips rule fields
  // (TNG/ArchUnit#1442).

  private static final ArchRule NO_PACKAGE_CYCLES =
      slices().matching("io.semroute.(**)").should().beFreeOfCycles();

  private static final ArchRule RUNTIME_DOES_NOT_USE_TOOLS =
      noClasses()
          .that()
          .resideInAPackage("io.semroute.classifier..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.semroute.tools..", "io.semroute.extproc..", "io.semroute.config..");

  private static final ArchRule TOOLS_DO_NOT_USE_THE_SERVER =
      noClasses()
          .that()
          .resideInAPackage("io.semroute.tools..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.semroute.extproc..", "io.semroute.app..");

  @ArchTest
  void noPackageCycles(JavaClasses classes) {
    NO_PACKAGE_CYCLES.check(classes);
  }

  @ArchTest
  void runtimeDoesNotUseTools(JavaClasses classes) {
    RUNTIME_DOES_NOT_USE_TOOLS.check(classes);
  }

  @ArchTest
  void toolsDoNotUseTheServer(JavaClasses classes) {
    TOOLS_DO_NOT_USE_THE_SERVER.check(classes);
  }
}
