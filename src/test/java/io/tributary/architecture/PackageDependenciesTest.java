package io.tributary.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The storage boundary: only {@code io.tributary.central} knows how collections are kept; every other
 * feature uses the {@code CollectionStore} interface and its value types.
 */
class PackageDependenciesTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.tributary");

    /**
     * What of central another feature may use: the storage interface, its value types, and keys. SourcePosition
     * for its source-id rule: a source checks its sourceId with the central node's own rule before it starts.
     */
    private static final Set<String> STORAGE_INTERFACE = Set.of("CollectionStore", "StoredCollection",
            "StoredCollection$Written", "StoredCollection$DeleteCheck", "DocumentKey", "FollowerPosition", "SourcePosition");

    private static final DescribedPredicate<JavaClass> CENTRAL_INTERNALS = new DescribedPredicate<>(
            "central's internals (anything but " + STORAGE_INTERFACE + ")") {
        @Override
        public boolean test(JavaClass c) {
            return c.getPackageName().equals("io.tributary.central")
                    && !STORAGE_INTERFACE.contains(c.getName().substring("io.tributary.central.".length()));
        }
    };

    @Test
    void otherFeaturesUseOnlyTheStorageInterfaceOfCentral() {
        noClasses().that().resideOutsideOfPackage("io.tributary.central").and()
                .resideOutsideOfPackage("io.tributary")  // the entry points wire the application together
                .should().dependOnClassesThat(CENTRAL_INTERNALS).check(MAIN);
    }

    /**
     * Sync talks SQL only where it reads a SQL source table; everything it writes goes through the store. (Which tables a SQL source may name is checked at run time: not the store's.)
     */
    @Test
    void syncTalksSqlOnlyToSourceTables() {
        noClasses().that().resideInAPackage("io.tributary.sync").and()
                .doNotHaveSimpleName("SqlTableRows").and()
                .doNotHaveSimpleName("SyncTask")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.springframework.jdbc..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.tributary.sql.Jdbc")
                .check(MAIN);
    }

    @Test
    void keyRangesStandAlone() {
        noClasses().that().resideInAPackage("io.tributary.keyrange..").should().dependOnClassesThat()
                .resideInAnyPackage("io.tributary.central..", "io.tributary.sync..", "io.tributary.source..",
                        "io.tributary.verify..", "io.tributary.http..")
                .check(MAIN);
    }

    /** The HTTP plumbing (ArangoDB's errors, paths and naming rules) knows no feature. */
    @Test
    void httpPlumbingKnowsNoFeature() {
        noClasses().that().resideInAPackage("io.tributary.http..").should().dependOnClassesThat()
                .resideInAnyPackage("io.tributary.central..", "io.tributary.sync..", "io.tributary.source..",
                        "io.tributary.verify..", "io.tributary.offline..", "io.tributary.follower..", "io.tributary.log..",
                        "io.tributary.twoway..")
                .check(MAIN);
    }

    /** Sync copies through offline's online copy, so offline must not need sync back. */
    @Test
    void offlineDoesNotDependOnSync() {
        noClasses().that().resideInAPackage("io.tributary.offline..").should().dependOnClassesThat()
                .resideInAPackage("io.tributary.sync..")
                .check(MAIN);
    }

    /** Calls to other nodes serve sync and offline alike: they know neither. */
    @Test
    void nodeCallsKnowNeitherSyncNorOffline() {
        noClasses().that().resideInAPackage("io.tributary.node..").should().dependOnClassesThat()
                .resideInAnyPackage("io.tributary.sync..", "io.tributary.offline..")
                .check(MAIN);
    }

    /** Every feature package can be read, tested and moved without the ones that build on it. */
    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("io.tributary.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theJdbcStoreIsNotUsedDirectly() {
        classes().that().haveSimpleNameStartingWith("Jdbc").and().resideInAPackage("io.tributary.central")
                .should().onlyHaveDependentClassesThat().resideInAPackage("io.tributary.central").check(MAIN);
    }
}
