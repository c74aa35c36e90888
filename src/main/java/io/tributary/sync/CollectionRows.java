package io.tributary.sync;

import io.tributary.central.DocumentStore;
import io.tributary.sql.Dialect;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/** The rows of a central collection table: {@code _key}, {@code _version}, {@code doc}. */
final class CollectionRows implements RowShape {

    private final Dialect dialect;
    private final String table;
    private final String orderedKey;

    private CollectionRows(Dialect dialect, String table, String orderedKey) {
        this.dialect = dialect;
        this.table = table;
        this.orderedKey = orderedKey;
    }

    /** The table name comes from the catalog (derived by {@link DocumentStore#tableName}), never from a request. */
    static CollectionRows of(DocumentStore.CollectionTable t) {
        Dialect d = t.dialect();
        try (Connection c = t.dataSource().getConnection()) {
            return new CollectionRows(d, t.table(), ByteKeyOrder.expression(c, d, t.table(), "_key", d.quote("_key"), true));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot inspect collection table " + t.table() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String table() {
        return dialect.quote(table);
    }

    @Override
    public String columns() {
        return dialect.quote("_key") + ", " + dialect.quote("_version") + ", " + dialect.quote("doc");
    }

    @Override
    public String orderedKey() {
        return orderedKey;
    }

    @Override
    public String keyColumn() {
        return dialect.quote("_key");
    }

    @Override
    public void bindKey(PreparedStatement ps, int index, String key) throws SQLException {
        ps.setString(index, key);
    }

    @Override
    public RowReader reader(ResultSetMetaData meta) {
        return rs -> {
            BigDecimal version = rs.getBigDecimal(2);
            return new SyncDocument(rs.getString(1), version == null ? null : version.toBigInteger(), rs.getString(3));
        };
    }
}
