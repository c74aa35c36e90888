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

/** The rows of a central collection table: {@code _key}, {@code _version}, {@code doc}, all names quoted. */
record CollectionRows(String table, String keyColumn, String columns, String orderedKey) implements RowShape {

    /** The table name comes from the catalog (derived by {@link JdbcCollectionStore#tableName}), never from a request. */
    static CollectionRows of(Jdbc jdbc, String table) {
        Dialect d = jdbc.dialect();
        String key = d.quote("_key");
        return new CollectionRows(d.quote(table), key, key + ", " + d.quote("_version") + ", " + d.quote("doc"),
                ByteKeyOrder.expression(jdbc.template(), d, table, "_key", key, true));
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
