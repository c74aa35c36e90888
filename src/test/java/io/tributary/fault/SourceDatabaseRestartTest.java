package io.tributary.fault;

import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryProcess;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The source database goes away under the running route and comes back; the route recovers by
 * itself. In CI every server connection to the source database is terminated
 * ({@code pg_terminate_backend}), which is what a restart looks like to a client, without
 * restarting the PostgreSQL cluster that other test classes are using at the same time.
 * {@code -Dtributary.fault.restartPostgres=true} restarts the real cluster instead
 * ({@code pg_ctlcluster --skip-systemctl-redirect 15 main restart}); use it only on a machine of your own.
 */
class SourceDatabaseRestartTest {

    private static final int RESTARTS = FaultHarness.SOAK ? 20 : 5;
    private static final boolean REAL_RESTART = Boolean.getBoolean("tributary.fault.restartPostgres");

    @Test
    void routeRecoversAfterTheSourceDatabaseRestarts() throws Exception {
        try (FaultHarness h = new FaultHarness("pgrestart")) {
            try (TributaryProcess p = h.startBoth()) {
                p.awaitStarted(Duration.ofMinutes(1));
                h.createCollection();
                h.startWriter();
                for (int i = 0; i < RESTARTS; i++) {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(500, 2500));
                    if (REAL_RESTART) {
                        new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart")
                                .inheritIO().start().waitFor();
                    } else {
                        terminateConnections(h.source);
                    }
                }
                Thread.sleep(1000);
                h.stopWriter();
                h.awaitDrained(Duration.ofMinutes(2));
                h.verify((REAL_RESTART ? "PostgreSQL cluster restarted" : "source database connections terminated")
                        + " mid-run, writer running", RESTARTS);
            }
        }
    }

    private static void terminateConnections(TestDatabase db) throws Exception {
        String name = db.jdbcUrl().substring(db.jdbcUrl().lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(TestDatabase.PG_ADMIN_URL, "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                     + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, name);
            ps.execute();
        }
    }
}
