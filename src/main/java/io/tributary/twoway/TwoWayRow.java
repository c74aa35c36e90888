package io.tributary.twoway;

import java.time.LocalDateTime;
import java.util.Map;

/**
 * One row as it travels between two stores: its key, last-change time, content hash (16 hex digits, see
 * {@link TwoWayVersion}) and every column's value by lower-case name (key and time included).
 */
record TwoWayRow(Object key, LocalDateTime time, String hash, Map<String, Object> values) {

    /** Whether the row is a tombstone: its deleted-flag column is true or a non-zero number. */
    boolean deleted(String deletedColumn) {
        if (deletedColumn == null) {
            return false;
        }
        Object v = values.get(deletedColumn);
        return v instanceof Boolean b ? b : v instanceof Number n ? n.doubleValue() != 0 : v != null && !"0".equals(v.toString())
                && !"false".equalsIgnoreCase(v.toString());
    }
}
