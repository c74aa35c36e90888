package io.tributary.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.job.JobControl;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestorePostgresTest extends RestoreContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    /**
     * A uuid column takes the backup's text (bound as a literal of no declared type), and 250 rows go as
     * two 100-row INSERTs and 50 one-row ones.
     */
    @Test
    void uuidColumnsRestoreAndRowsGoInMultiRowInserts(@TempDir Path dir) {
        try (TestDatabase pg = TestDatabase.create(Dialect.POSTGRESQL, "restoreuuid")) {
            pg.execute("CREATE TABLE src (id BIGINT PRIMARY KEY, uid UUID NOT NULL, note TEXT)",
                    "CREATE TABLE dst (id BIGINT PRIMARY KEY, uid UUID NOT NULL, note TEXT)",
                    "INSERT INTO src SELECT g, md5(g::text)::uuid, CASE WHEN g % 3 = 0 THEN NULL ELSE 'n' || g END"
                            + " FROM generate_series(1, 250) g");
            Backup.ofTable(dir, BackupSpec.parse("{\"source\":{\"dataSource\":\"db\",\"table\":\"src\",\"keyColumn\":\"id\"},"
                    + "\"name\":\"b\"}"), pg.dataSource()).run(new JobControl(0));

            RestoreReport report = new Restore(dir, RestoreSpec.parse("{\"name\":\"b\",\"target\":{\"dataSource\":\"db\","
                    + "\"table\":\"dst\"}}"), RestoreTarget.table(pg.dataSource(), "dst")).run(new JobControl(0));

            assertThat(report.partition("all").written()).isEqualTo(250);
            assertThat(pg.query("SELECT id, uid, note FROM dst ORDER BY id"))
                    .isEqualTo(pg.query("SELECT id, uid, note FROM src ORDER BY id"));
        }
    }
}
