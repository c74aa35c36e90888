package io.tributary.source;

import static io.tributary.testing.SourceApp.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.sql.Dialect;
import io.tributary.testing.SourceApp;
import org.junit.jupiter.api.Test;

class SourceRoutesPostgresTest extends SourceRoutesContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Test
    void jsonColumnsArriveAsJsonAndTimestamptzAsAnInstant() {
        db.execute("CREATE TABLE " + table + " (id BIGINT NOT NULL PRIMARY KEY, data JSONB, plain JSON, seen TIMESTAMPTZ, u UUID)");
        db.execute("INSERT INTO " + table + " VALUES (1, '{\"a\": [1, 2], \"b\": {\"c\": null}}', '[true]',"
                + " TIMESTAMPTZ '2026-01-02 05:04:05.5+02', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')");
        app = SourceApp.start(db, dir, source("pgtypes", table, central.url()));
        awaitDocuments(1);
        ObjectNode doc = central.documents().get("central/pgtypes-1");
        assertThat(doc.get("data").get("a").get(1).asInt()).as(doc.toString()).isEqualTo(2);
        assertThat(doc.get("data").get("b").has("c")).isTrue();
        assertThat(doc.get("plain").get(0).asBoolean()).isTrue();
        assertThat(doc.get("seen").asText()).isEqualTo("2026-01-02T03:04:05.500Z");
        assertThat(doc.get("u").asText()).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    }
}
