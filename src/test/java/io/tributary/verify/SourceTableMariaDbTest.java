package io.tributary.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.source.CaptureMode;
import io.tributary.source.ChangeFeed.ColumnCase;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A repair reads its rows while a scan still streams (Reconciliation repairs every 100 keys): it must see them
 * as they are now. MariaDB's default isolation, REPEATABLE READ, would show the scan's snapshot instead if the
 * read joined the scan's transaction.
 */
class SourceTableMariaDbTest {

    @Test
    void rowsReadDuringAScanSeeTheCommittedDataNotTheScansSnapshot() {
        try (TestDatabase db = TestDatabase.create(Dialect.MARIADB, "table")) {
            db.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO items VALUES (1, 'old'), (2, 'old'), (3, 'old')");
            SourceTable table = new SourceTable(new SourceSettings("t", db.dataSource(), "items", "id", CaptureMode.INCREMENTING,
                    null, "numeric", "t-", ColumnCase.LOWER, db.dataSource(), "tributary_status", "http://127.0.0.1:1", "",
                    "c", true, null, null));
            List<String> scanned = new ArrayList<>();
            List<String> reread = new ArrayList<>();
            table.scan(null, null, 0, rows -> {
                rows.forEach(r -> scanned.add(r.document().get("name").asText()));
                db.update("UPDATE items SET name = 'new' WHERE id = 1");
                table.rows(List.of("t-1", "t-3")).forEach(r -> reread.add(r.key() + "=" + r.document().get("name").asText()));
            });
            assertThat(scanned).containsExactly("old", "old", "old");
            assertThat(reread).containsExactlyInAnyOrder("t-1=new", "t-3=old");
        }
    }
}
