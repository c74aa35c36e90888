package io.tributary.offline;

import io.tributary.source.SourceFingerprint;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.jdbc.core.ConnectionCallback;

/**
 * Which database table or central collection a backup came from or a restore writes to, as text without
 * credentials: {@code <dialect>://<server>/<catalog> table <schema.table>} or
 * {@code <dialect>://<server>/<catalog> collection <database>/<collection>}. Built from the connection's
 * metadata (as {@link SourceFingerprint}), so the same table reached through two beans is the same identity.
 */
public final class SourceIdentity {

    private SourceIdentity() {
    }

    public static String ofTable(DataSource dataSource, String table) {
        return new Jdbc(dataSource).template().execute((ConnectionCallback<String>) c -> {
            String schema = c.getSchema();
            String qualified = table.contains(".") || schema == null ? table : schema + "." + table;
            return database(c) + " table " + qualified.toLowerCase(Locale.ROOT);
        });
    }

    /** A collection of the central store kept in {@code storeDataSource}. */
    public static String ofCollection(DataSource storeDataSource, String database, String collection) {
        return new Jdbc(storeDataSource).template().execute((ConnectionCallback<String>) c -> database(c))
                + " collection " + database + "/" + collection;
    }

    private static String database(java.sql.Connection c) throws java.sql.SQLException {
        Dialect dialect = Dialect.of(c);
        String url = c.getMetaData().getURL();
        String catalog = c.getCatalog();
        return dialect.name().toLowerCase(Locale.ROOT) + "://" + SourceFingerprint.server(dialect, url == null ? "" : url)
                + "/" + (catalog == null ? "" : catalog);
    }
}
