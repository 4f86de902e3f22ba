package org.ntklab;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layering of ../shared/STYLE.md: the mathematics has no framework in it; jobs never call the API layer. */
@AnalyzeClasses(packages = "org.ntklab", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreIsFrameworkFree = noClasses().that().resideInAPackage("org.ntklab.core..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.sql..", "javax.sql..",
                    "com.fasterxml.jackson..", "tools.jackson..", "jakarta..")
            .because("org.ntklab.core runs from a plain main or a JUnit test");

    @ArchTest
    static final ArchRule coreDependsOnNoServiceLayer = noClasses().that().resideInAPackage("org.ntklab.core..")
            .should().dependOnClassesThat().resideInAnyPackage("org.ntklab.jobs..", "org.ntklab.api..",
                    "org.ntklab.config..");

    @ArchTest
    static final ArchRule jobsNeverImportApi = noClasses().that().resideInAPackage("org.ntklab.jobs..")
            .should().dependOnClassesThat().resideInAPackage("org.ntklab.api..")
            .allowEmptyShould(true);
}
