package io.semroute.classifier.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The serving runtime's shape: no package depends (through any chain) on a package that depends
 * back on it, and the runtime never reaches into the tools, the ext_proc server or router configs.
 * {@code io.semroute.(**)} makes every package its own slice, the root package included, so a cycle
 * between a package and its sub-package counts too.
 */
@AnalyzeClasses(
    packages = "io.semroute.classifier",
    importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {
  // Rules run from methods, not @ArchTest fields: surefire 3.5.3 skips rule fields
  // (TNG/ArchUnit#1442).

  private static final ArchRule NO_PACKAGE_CYCLES =
      slices().matching("io.semroute.(**)").should().beFreeOfCycles();

  private static final ArchRule RUNTIME_STANDS_ALONE =
      noClasses()
          .that()
          .resideInAPackage("io.semroute.classifier..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.semroute.tools..", "io.semroute.extproc..", "io.semroute.config..");

  @ArchTest
  void noPackageCycles(JavaClasses classes) {
    NO_PACKAGE_CYCLES.check(classes);
  }

  @ArchTest
  void runtimeStandsAlone(JavaClasses classes) {
    RUNTIME_STANDS_ALONE.check(classes);
  }
}
