package io.semroute.tools.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * No package cycles across tools and runtime ({@code io.semroute.(**)}: every package its own
 * slice). That the runtime never uses a tool and the tools never use the server is the module
 * graph's job: router-classifier does not depend on router-tools, router-tools not on
 * router-extproc.
 */
@AnalyzeClasses(
    packages = {"io.semroute.tools", "io.semroute.classifier"},
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
