package io.tributary.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the source's clock reports about running transactions on the real servers: the oldest one
 * when it can see every session, and "not known" (so only the time-based rules apply) when it
 * cannot, instead of a reassuring "nothing runs".
 */
class SourceClockTest {

    @Test
    void postgresSeesTheOldestRunningTransaction() throws Exception {
        try (TestDatabase db = TestDatabase.create(Dialect.POSTGRESQL, "clock")) {
            SourceClock clock = new SourceClock("clock", Dialect.POSTGRESQL, "");
            try (Connection writer = DriverManager.getConnection(db.jdbcUrl(), "postgres", "");
                 Connection reader = db.dataSource().getConnection()) {
                assertThat(clock.read(reader).oldestTransaction()).as("nothing runs").isNull();
                writer.setAutoCommit(false);
                try (Statement s = writer.createStatement()) {
                    s.execute("SELECT 1"); // the transaction has started
                }
                SourceClock.Reading reading = clock.read(reader);
                assertThat(reading.transactionsKnown()).isTrue();
                assertThat(reading.oldestTransaction()).isNotNull().isBefore(reading.now().plusMillis(1));
                assertThat(reading.settledSince(reading.now())).as("a gap seen now is not settled while an older transaction runs")
                        .isFalse();
                assertThat(reading.settledSince(reading.now().minus(Duration.ofMinutes(1))))
                        .as("nor does it hold back a gap seen before it started").isTrue();
                writer.rollback();
            }
        }
    }

    @Test
    void postgresUserWhoCannotSeeOtherRolesSessionsIsBlind() throws Exception {
        String role = "trib_blind_" + UUID.randomUUID().toString().substring(0, 8);
        try (TestDatabase db = TestDatabase.create(Dialect.POSTGRESQL, "blind")) {
            db.execute("CREATE ROLE " + role + " LOGIN", "GRANT CONNECT ON DATABASE " + db.jdbcUrl().substring(db.jdbcUrl().lastIndexOf('/') + 1)
                    + " TO " + role);
            try {
                SourceClock clock = new SourceClock("blind", Dialect.POSTGRESQL, "");
                try (Connection writer = DriverManager.getConnection(db.jdbcUrl(), "postgres", "");
                     Connection reader = DriverManager.getConnection(db.jdbcUrl(), role, "")) {
                    writer.setAutoCommit(false);
                    try (Statement s = writer.createStatement()) {
                        s.execute("SELECT 1");
                    }
                    SourceClock.Reading reading = clock.read(reader);
                    assertThat(reading.transactionsKnown()).as("another role's transaction is invisible without pg_read_all_stats")
                            .isFalse();
                    writer.rollback();
                }
            } finally {
                db.execute("DROP OWNED BY " + role, "DROP ROLE " + role);
            }
        }
    }

    @Test
    void mariaDbAndH2ClaimNoKnowledgeOfRunningTransactions() throws Exception {
        for (Dialect dialect : new Dialect[] {Dialect.MARIADB, Dialect.H2}) {
            try (TestDatabase db = TestDatabase.create(dialect, "clock");
                 Connection reader = db.dataSource().getConnection()) {
                SourceClock.Reading reading = new SourceClock("clock", dialect, "").read(reader);
                assertThat(reading.transactionsKnown()).as(dialect + ": only the time-based rules apply").isFalse();
                assertThat(reading.settledSince(reading.now().minusSeconds(3600))).isFalse();
            }
        }
    }
}
