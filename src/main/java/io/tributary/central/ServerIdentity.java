package io.tributary.central;

import io.tributary.sql.Jdbc;
import java.util.List;
import java.util.UUID;

/**
 * The table {@code tributary_server}: one row, this central database's server id, generated at its first
 * start and kept across restarts. Nodes compare it to refuse following themselves.
 */
final class ServerIdentity {

    static final String TABLE = "tributary_server";

    private final Jdbc jdbc;

    ServerIdentity(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    void createTable() {
        jdbc.create("CREATE TABLE IF NOT EXISTS " + TABLE + " (server_id " + jdbc.dialect().asciiKeyType(64)
                + " NOT NULL PRIMARY KEY)" + jdbc.dialect().tableOptions());
    }

    /** The stored id; a first caller inserts one, and of concurrent first callers the lowest id stays. */
    String serverId() {
        List<String> ids = jdbc.template().queryForList("SELECT server_id FROM " + TABLE + " ORDER BY server_id", String.class);
        if (!ids.isEmpty()) {
            return ids.get(0);
        }
        jdbc.template().update("INSERT INTO " + TABLE + " (server_id) VALUES (?)", UUID.randomUUID().toString());
        String first = jdbc.template().queryForList("SELECT server_id FROM " + TABLE + " ORDER BY server_id", String.class).get(0);
        jdbc.template().update("DELETE FROM " + TABLE + " WHERE server_id <> ?", first);
        return first;
    }
}
