package io.tributary.sql;

import io.tributary.json.Json;
import java.io.IOException;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * A column of the current row as a value Jackson writes the same way on every database: numbers,
 * booleans and strings as they are, JSON columns parsed (decimals keep every digit), date/time types
 * as ISO-8601 text, LOBs read while the connection is still open, binary as bytes (written as base64).
 *
 * <p>The conversion is chosen once per column from the result set's metadata ({@link #readers}):
 * looking the type up per cell and reading a timestamp twice cost more than the rest of a row.
 */
public final class JsonColumnValue {

    /** Reads one column of the current row. */
    @FunctionalInterface
    public interface Reader {
        Object read(ResultSet rs) throws SQLException;
    }

    private JsonColumnValue() {
    }

    /** One reader per column, in column order (index 0 is column 1). */
    public static Reader[] readers(ResultSetMetaData meta) throws SQLException {
        Reader[] readers = new Reader[meta.getColumnCount()];
        for (int i = 1; i <= readers.length; i++) {
            readers[i - 1] = reader(meta, i);
        }
        return readers;
    }

    private static Reader reader(ResultSetMetaData meta, int i) throws SQLException {
        String typeName = meta.getColumnTypeName(i).toLowerCase(Locale.ROOT);
        String label = meta.getColumnLabel(i);
        if (typeName.equals("json") || typeName.equals("jsonb")) {
            return rs -> {
                String text = rs.getString(i);
                try {
                    return text == null ? null : Json.MAPPER.readTree(text);
                } catch (IOException e) {
                    throw new IllegalStateException("Column " + label + " holds invalid JSON: " + e.getMessage(), e);
                }
            };
        }
        if (typeName.equals("timestamptz")) {
            // the PostgreSQL driver reports timestamptz as Types.TIMESTAMP but refuses LocalDateTime for it
            return rs -> text(rs.getObject(i, OffsetDateTime.class));
        }
        return switch (meta.getColumnType(i)) {
            case Types.TIMESTAMP -> rs -> text(rs.getObject(i, LocalDateTime.class));
            case Types.TIMESTAMP_WITH_TIMEZONE -> rs -> text(rs.getObject(i, OffsetDateTime.class));
            case Types.DATE -> rs -> text(rs.getObject(i, LocalDate.class));
            case Types.TIME -> rs -> text(rs.getObject(i, LocalTime.class));
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR ->
                    rs -> rs.getString(i);
            default -> rs -> plain(rs.getObject(i));
        };
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** Types Jackson cannot write as they are become strings or byte arrays. */
    private static Object plain(Object value) throws SQLException {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String
                || value instanceof byte[]) {
            return value;
        }
        if (value instanceof Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        if (value instanceof Blob blob) {
            return blob.getBytes(1, (int) blob.length());
        }
        return value.toString();
    }
}
