package io.tributary.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import io.tributary.testing.TestDatabase;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class StatusStoreTest {

    @Test
    void advanceIsIdempotentMonotonicAndPerSource() throws Exception {
        try (TestDatabase db = TestDatabase.create(Dialect.POSTGRESQL, "status")) {
            db.execute("CREATE SCHEMA sync");
            StatusStore store = new StatusStore(db.dataSource(), "sync.watermarks");
            store.createIfMissing();
            store.createIfMissing();
            LocalDateTime ts = LocalDateTime.of(2026, 1, 2, 3, 4, 5, 6000);
            new Jdbc(db.dataSource()).transaction("advance", tx -> {
                assertThat(store.advance("a", "10", ts, "p10", 10)).isTrue();
                assertThat(store.advance("a", "10", ts, "p10", 10)).as("same watermark again").isFalse();
                assertThat(store.advance("a", "5", null, "p05", 5)).as("never backwards").isFalse();
                assertThat(store.advance("b", "3", null, "p03", 3)).isTrue();
                assertThat(store.advance("a", "12", ts, "p12", 2)).isTrue();
                return null;
            });
            assertThat(store.read("a")).hasValueSatisfying(s -> {
                assertThat(s.lastKey()).isEqualTo("12");
                assertThat(s.lastTimestamp()).isEqualTo(ts);
                assertThat(s.rowsTransferred()).isEqualTo(12);
            });
            assertThat(store.read("b").orElseThrow().position()).isEqualTo("p03");
            assertThat(store.read("c")).isEmpty();
            assertThatThrownBy(() -> new StatusStore(db.dataSource(), "status; DROP TABLE x")).hasMessageContaining("Invalid status table");
        }
    }
}
