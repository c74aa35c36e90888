package io.tributary.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** What a source tells the central node about its database: the server and database, never credentials. */
class SourceFingerprintTest {

    @Test
    void theServerPartOfAJdbcUrlLeavesCredentialsAndParametersOut() {
        assertThat(SourceFingerprint.server(Dialect.MARIADB, "jdbc:mariadb://app:s3cret@db2:3306/shop?password=s3cret"))
                .isEqualTo("db2:3306");
        assertThat(SourceFingerprint.server(Dialect.POSTGRESQL, "jdbc:postgresql://h1:5432,h2:5433/orders?user=u&password=p"))
                .isEqualTo("h1:5432,h2:5433");
        assertThat(SourceFingerprint.server(Dialect.MARIADB, "jdbc:mysql:loadbalance://a:3306,b:3306/shop")).isEqualTo("a:3306,b:3306");
        assertThat(SourceFingerprint.server(Dialect.H2, "jdbc:h2:file:./data/orders;AUTO_SERVER=TRUE;PASSWORD=x"))
                .isEqualTo("file:./data/orders");
    }

    @Test
    void theFingerprintNamesDatabaseTableAndKeyAndDiffersWithAnyOfThem() {
        for (Dialect dialect : Dialect.values()) {
            try (TestDatabase db = TestDatabase.create(dialect, "fingerprint")) {
                SourceFingerprint f = SourceFingerprint.of(db.dataSource(), "changes", "id");
                assertThat(f.origin()).startsWith(dialect.name().toLowerCase() + "://").contains(" table ").endsWith("changes key id")
                        .doesNotContain("password");
                assertThat(f.sha256()).matches("[0-9a-f]{64}");
                assertThat(SourceFingerprint.of(db.dataSource(), "changes", "id")).isEqualTo(f);
                assertThat(SourceFingerprint.of(db.dataSource(), "other_changes", "id").sha256()).isNotEqualTo(f.sha256());
                assertThat(SourceFingerprint.of(db.dataSource(), "changes", "change_id").sha256()).isNotEqualTo(f.sha256());
                try (TestDatabase other = TestDatabase.create(dialect, "fingerprint")) {
                    assertThat(SourceFingerprint.of(other.dataSource(), "changes", "id").sha256()).isNotEqualTo(f.sha256());
                }
            }
        }
    }
}
