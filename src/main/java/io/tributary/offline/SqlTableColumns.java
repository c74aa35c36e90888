package io.tributary.offline;

import io.tributary.sql.Jdbc;
import java.sql.ResultSetMetaData;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.dao.DataAccessException;

/** A table's columns as its database describes them, by lower-cased name, in the table's order. */
final class SqlTableColumns {

    private SqlTableColumns() {
    }

    /** @param what how an unreadable table is named in the error ("target table", "source table") */
    static Map<String, SqlColumn> of(Jdbc jdbc, String table, String what) {
        Map<String, SqlColumn> columns = new LinkedHashMap<>();
        try {
            jdbc.template().query("SELECT * FROM " + table + " WHERE 1 = 0", rs -> {
                ResultSetMetaData meta = rs.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.put(meta.getColumnName(i).toLowerCase(Locale.ROOT), SqlColumn.of(meta.getColumnName(i),
                            meta.getColumnType(i), meta.getColumnTypeName(i), jdbc.dialect()));
                }
                return null;
            });
        } catch (DataAccessException e) {
            throw new IllegalArgumentException(what + " " + table + " cannot be read: " + Jdbc.reason(e), e);
        }
        return columns;
    }
}
