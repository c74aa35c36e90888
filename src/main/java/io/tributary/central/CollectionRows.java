package io.tributary.central;

import io.tributary.keyrange.ByteKeyOrder;
import io.tributary.keyrange.RowShape;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.math.BigDecimal;
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

    /** The table name comes from the catalog (derived by {@link JdbcCollectionStore#tableName}), never from a request. */
    static CollectionRows of(Jdbc jdbc, String table) {
        Dialect d = jdbc.dialect();
        return new CollectionRows(d, table, ByteKeyOrder.expression(jdbc.template(), d, table, "_key", d.quote("_key"), true));
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
            return new VersionedDocument(rs.getString(1), version == null ? null : version.toBigInteger(), rs.getString(3));
        };
    }
}
