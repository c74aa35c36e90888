package io.tributary.offline;

import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.jdbc.core.ConnectionCallback;

/**
 * Which database table or central collection a backup came from or a restore writes to, as text without
 * credentials: {@code <dialect>://<server>/<database> table <schema.table>} or {@code ... collection
 * <database>/<collection>}. The server is named by what it says of itself, not by the URL it was reached
 * through ({@code localhost} and {@code 127.0.0.1} are one server): PostgreSQL's system identifier,
 * MariaDB's host name and port, H2's database file. Tables are qualified by their schema (MariaDB: database).
 */
public final class SourceIdentity {

    private SourceIdentity() {
    }

    public static String ofTable(DataSource dataSource, String table) {
        return new Jdbc(dataSource).template().execute((ConnectionCallback<String>) c -> {
            String schema = Dialect.of(c) == Dialect.MARIADB ? c.getCatalog() : c.getSchema();
            String qualified = table.contains(".") || schema == null ? table : schema + "." + table;
            return database(c) + " table " + qualified.toLowerCase(Locale.ROOT);
        });
    }

    /** A collection of the central store kept in {@code storeDataSource}. */
    public static String ofCollection(DataSource storeDataSource, String database, String collection) {
        return new Jdbc(storeDataSource).template().execute((ConnectionCallback<String>) SourceIdentity::database)
                + " collection " + database + "/" + collection;
    }

    private static String database(Connection c) throws SQLException {
        Dialect dialect = Dialect.of(c);
        String server = switch (dialect) {
            case POSTGRESQL -> first(c, "SELECT CAST(system_identifier AS TEXT) FROM pg_control_system()");
            case MARIADB -> first(c, "SELECT CONCAT(@@hostname, ':', @@port)");
            case H2 -> first(c, "SELECT DATABASE_PATH()");
        };
        if (server == null) {
            server = c.getMetaData().getURL(); // an in-memory H2 database has no file
        }
        String catalog = c.getCatalog();
        return dialect.name().toLowerCase(Locale.ROOT) + "://" + server + "/" + (catalog == null ? "" : catalog.toLowerCase(Locale.ROOT));
    }

    private static String first(Connection c, String query) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
