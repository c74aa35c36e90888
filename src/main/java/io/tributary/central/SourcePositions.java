package io.tributary.central;

import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.util.List;
import java.util.Optional;

/**
 * The table {@code tributary_source_positions}: per source, the highest position applied. It is written
 * inside the import's own transaction, so the documents and the position commit or vanish together.
 */
final class SourcePositions {

    /** A fixed name: unquoted, so operators can query it without quotes on every database. */
    static final String TABLE = "tributary_source_positions";

    private final Jdbc jdbc;
    private final Dialect dialect;

    SourcePositions(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.dialect = jdbc.dialect();
    }

    void createTable() {
        jdbc.create("CREATE TABLE IF NOT EXISTS " + TABLE + " (source " + dialect.asciiKeyType(200) + " NOT NULL PRIMARY KEY,"
                + " position VARCHAR(" + SourcePosition.MAX_POSITION_CHARS + ") NOT NULL,"
                + " updated_at TIMESTAMP NOT NULL)" + dialect.tableOptions());
    }

    /** Stores max(stored, given); the row lock keeps concurrent requests of one source in order. */
    void advance(SourcePosition given) {
        List<String> stored = jdbc.template().queryForList("SELECT position FROM " + TABLE + " WHERE source = ? FOR UPDATE",
                String.class, given.source());
        if (stored.isEmpty()) {
            // a concurrent first insert of the same source fails with a unique violation; the request is retried
            jdbc.template().update("INSERT INTO " + TABLE + " (source, position, updated_at) VALUES (?, ?, "
                    + dialect.localTimestamp() + ")", given.source(), given.position());
        } else if (given.position().compareTo(stored.get(0)) > 0) {
            jdbc.template().update("UPDATE " + TABLE + " SET position = ?, updated_at = " + dialect.localTimestamp()
                    + " WHERE source = ?", given.position(), given.source());
        }
    }

    List<SourcePosition> all() {
        return jdbc.template().query("SELECT source, position FROM " + TABLE + " ORDER BY source",
                (rs, i) -> new SourcePosition(rs.getString(1), rs.getString(2)));
    }

    Optional<SourcePosition> find(String source) {
        return jdbc.template().queryForList("SELECT position FROM " + TABLE + " WHERE source = ?", String.class, source)
                .stream().findFirst().map(position -> new SourcePosition(source, position));
    }
}
