package io.semroute.classifier.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The serving runtime's shape: no package depends (through any chain) on a package that depends
 * back on it. {@code io.semroute.(**)} makes every package its own slice, the root package
 * included, so a cycle between a package and its sub-package counts too. (That the runtime never
 * reaches into the tools, the server or the config is the module graph's job: router-classifier
 * does not depend on them.)
 */
@AnalyzeClasses(
    packages = "io.semroute.classifier",
    importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {
  // Rules run from methods, not @ArchTest fields: surefire 3.5.3 skips rule fields
  // (TNG/ArchUnit#1442).

  private static final ArchRule NO_PACKAGE_CYCLES =
      slices().matching("io.semroute.(**)").should().beFreeOfCycles();

  @ArchTest
  void noPackageCycles(JavaClasses classes) {
    NO_PACKAGE_CYCLES.check(classes);
  }
}
