package io.tributary.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.DocumentKey;
import io.tributary.json.Json;
import io.tributary.keyrange.ByteKeyOrder;
import io.tributary.keyrange.RowShape;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import io.tributary.sql.JsonColumnValue;
import io.tributary.sql.ListedTables;
import io.tributary.sql.SqlIdentifier;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.transaction.TransactionException;

/**
 * The rows of any SQL table as documents: every column becomes an attribute (names lower-cased, so a
 * table reads the same on H2, which upper-cases, and on PostgreSQL), and the key column's text is the
 * document's {@code _key}. Table and key column are written unquoted, as in hand-written SQL, after
 * {@link SqlIdentifier} validated them.
 */
record SqlTableRows(String table, String keyColumn, int keyType, String orderedKey) implements RowShape {

    /** Reads the key column's type and order on one connection, in one read-only transaction. */
    static SqlTableRows of(Jdbc jdbc, String table, String keyColumn) {
        SqlIdentifier.requireQualified("source table", table);
        SqlIdentifier.require("key column", keyColumn);
        try {
            return jdbc.read(s -> {
                Dialect d = jdbc.template().execute((ConnectionCallback<Dialect>) c -> {
                    Dialect found = Dialect.of(c);
                    ListedTables.refuseSystemCatalog(table, c, found);
                    return found;
                });
                int type = jdbc.template().query("SELECT " + keyColumn + " FROM " + table + " WHERE 1 = 0",
                        (ResultSetExtractor<Integer>) rs -> rs.getMetaData().getColumnType(1));
                return new SqlTableRows(table, keyColumn, type, ByteKeyOrder.expression(jdbc.template(), d,
                        table, keyColumn, keyColumn, ByteKeyOrder.isText(type)));
            });
        } catch (DataAccessException | TransactionException e) {
            throw new IllegalArgumentException("Cannot read source table " + table + " with key column " + keyColumn
                    + ": " + Jdbc.reason(e), e);
        }
    }

    @Override
    public String columns() {
        return "*";
    }

    /** Lookups compare the column itself (index) with the key text turned back into the column's type. */
    @Override
    public void bindKey(PreparedStatement ps, int index, String key) throws SQLException {
        try {
            switch (keyType) {
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> ps.setLong(index, Long.parseLong(key));
                case Types.DECIMAL, Types.NUMERIC -> ps.setBigDecimal(index, new BigDecimal(key));
                default -> ps.setString(index, key);
            }
        } catch (NumberFormatException e) {
            // a key that is no number cannot exist in a numeric column: match nothing
            ps.setNull(index, keyType);
        }
    }

    /**
     * Attribute names, the key column's position and each column's conversion come from the metadata
     * once per result set; a row is then written straight to JSON with {@code _key} first.
     */
    @Override
    public RowReader reader(ResultSetMetaData meta) throws SQLException {
        int count = meta.getColumnCount();
        String[] names = new String[count];
        int keyIndex = -1;
        for (int i = 0; i < count; i++) {
            names[i] = meta.getColumnLabel(i + 1).toLowerCase(Locale.ROOT);
            if (names[i].equalsIgnoreCase(keyColumn)) {
                keyIndex = i;
            }
        }
        if (keyIndex < 0) {
            throw new IllegalStateException("Source table " + table + " has no column " + keyColumn);
        }
        JsonColumnValue.Reader[] columns = JsonColumnValue.readers(meta);
        int keyAt = keyIndex;
        return rs -> {
            Object[] values = new Object[count];
            for (int i = 0; i < count; i++) {
                values[i] = columns[i].read(rs);
            }
            Object raw = values[keyAt];
            String key = raw == null ? null : raw instanceof BigDecimal b ? b.toPlainString() : raw.toString();
            if (!DocumentKey.isValid(key)) {
                throw new IllegalStateException("Source row key '" + key + "' of " + table + "." + keyColumn
                        + " is not a valid document key (1-254 characters of A-Z a-z 0-9 _-:.@()+,=;$!*'%)");
            }
            ObjectNode doc = Json.MAPPER.createObjectNode().put("_key", key);
            for (int i = 0; i < count; i++) {
                doc.set(names[i], Json.MAPPER.valueToTree(values[i]));
            }
            try {
                return new VersionedDocument(key, null, Json.MAPPER.writeValueAsString(doc));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
