package io.tributary.fault;

import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestSeed;
import io.tributary.testing.TributaryProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source database goes away under the running route and comes back; the route recovers by
 * itself. Where the cluster can be restarted ({@code pg_ctlcluster} of Debian's packages, run as root
 * or postgres: this machine and CI) the real PostgreSQL cluster is restarted
 * ({@code pg_ctlcluster --skip-systemctl-redirect <version> main restart}), which also takes the
 * central node's database down for the same seconds: test classes run one after the other, so no other
 * test is using it. Elsewhere, or with {@code -Dtributary.fault.restartPostgres=false}, every server
 * connection to the source database is terminated instead ({@code pg_terminate_backend}).
 */
@Tag("fault")
class SourceDatabaseRestartTest {

    private static final int RESTARTS = FaultHarness.SOAK ? 20 : 3;
    private static final String PG_VERSION = clusterVersion();
    private static final boolean REAL_RESTART = PG_VERSION != null
            && !"false".equals(System.getProperty("tributary.fault.restartPostgres"));

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    @Test
    void routeRecoversAfterTheSourceDatabaseRestarts() throws Exception {
        try (FaultHarness h = new FaultHarness("pgrestart")) {
            try (TributaryProcess p = h.startBoth()) {
                p.awaitStarted(Duration.ofMinutes(1));
                h.createCollection();
                h.startWriter(seed.value());
                for (int i = 0; i < RESTARTS; i++) {
                    Thread.sleep(seed.random().nextLong(500, 2500)); // the restart's random moment, not a synchronisation
                    if (REAL_RESTART) {
                        pgCtlCluster("restart");
                    } else {
                        terminateConnections(h.source);
                    }
                }
                h.awaitDelivery(Duration.ofMinutes(1));
                h.stopWriter();
                h.awaitDrained(Duration.ofMinutes(2));
                h.verify((REAL_RESTART ? "PostgreSQL cluster restarted (source and central database)"
                        : "source database connections terminated") + " mid-run, writer running", RESTARTS);
            }
        } finally {
            if (REAL_RESTART) {
                pgCtlCluster("start"); // whatever happened, leave the server running for the next test class
            }
        }
    }

    /** The Debian cluster version (the directory under /etc/postgresql) if pg_ctlcluster can be used here. */
    private static String clusterVersion() {
        try {
            Path etc = Path.of("/etc/postgresql");
            String user = System.getProperty("user.name");
            if (!Files.isDirectory(etc) || !(user.equals("root") || user.equals("postgres"))
                    || !Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster"))) {
                return null;
            }
            try (Stream<Path> versions = Files.list(etc)) {
                return versions.filter(v -> Files.isDirectory(v.resolve("main"))).map(v -> v.getFileName().toString())
                        .findFirst().orElse(null);
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static void pgCtlCluster(String action) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", action)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        // "start" on a running cluster exits 2 ("Cluster is already running"): that is the state we want
        if (rc != 0 && !(action.equals("start") && output.contains("already running"))) {
            throw new IllegalStateException("pg_ctlcluster " + action + " failed (" + rc + "): " + output);
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
