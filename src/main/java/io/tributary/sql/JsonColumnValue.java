package io.tributary.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * booleans and strings as they are, JSON columns parsed, date/time types as ISO-8601 text, LOBs
 * read while the connection is still open, binary as bytes (written as base64).
 */
public final class JsonColumnValue {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonColumnValue() {
    }

    public static Object of(ResultSet rs, int i, ResultSetMetaData meta) throws SQLException {
        String typeName = meta.getColumnTypeName(i).toLowerCase(Locale.ROOT);
        if (typeName.equals("json") || typeName.equals("jsonb")) {
            String text = rs.getString(i);
            try {
                return text == null ? null : JSON.readTree(text);
            } catch (IOException e) {
                throw new IllegalStateException("Column " + meta.getColumnLabel(i) + " holds invalid JSON: " + e.getMessage(), e);
            }
        }
        Object value = rs.getObject(i);
        if (value == null) {
            return null;
        }
        if (typeName.equals("timestamptz")) {
            // the PostgreSQL driver reports timestamptz as Types.TIMESTAMP but refuses LocalDateTime for it
            return rs.getObject(i, OffsetDateTime.class).toString();
        }
        return switch (meta.getColumnType(i)) {
            case Types.TIMESTAMP -> rs.getObject(i, LocalDateTime.class).toString();
            case Types.TIMESTAMP_WITH_TIMEZONE -> rs.getObject(i, OffsetDateTime.class).toString();
            case Types.DATE -> rs.getObject(i, LocalDate.class).toString();
            case Types.TIME -> rs.getObject(i, LocalTime.class).toString();
            default -> plain(value);
        };
    }

    /** Types Jackson cannot write as they are become strings or byte arrays. */
    private static Object plain(Object value) throws SQLException {
        if (value instanceof Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        if (value instanceof Blob blob) {
            return blob.getBytes(1, (int) blob.length());
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof String || value instanceof byte[]) {
            return value;
        }
        return value.toString();
    }
}
