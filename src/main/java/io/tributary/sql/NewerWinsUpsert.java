package io.tributary.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One conditional statement that writes a batch of rows into a table where each row is newer than the
 * stored one, and inserts rows whose key is new: the atomic "upsert if newer" of two-way sync, one
 * function per dialect. Newer means a later timestamp, or the same timestamp and a larger content hash
 * ({@link #contentHash}), the one tie rule; a row without a stored timestamp is always older. Names were
 * validated by {@link SqlIdentifier} and are written unquoted, as in hand-written SQL.
 *
 * @param table    the table, optionally schema-qualified
 * @param key      the primary-key (or unique) column
 * @param time     the last-change timestamp column
 * @param content  every other column, in the order the content hash reads them (sorted by name)
 * @param types    for H2 only: each column's SQL type in the order key, time, content (its MERGE source is
 *                 typed by casts); ignored elsewhere
 */
public record NewerWinsUpsert(Dialect dialect, String table, String key, String time, List<String> content,
                              List<String> types) {

    /** The statement for {@code rows} rows; parameters per row: key, time, then content in order. */
    public String sql(int rows) {
        return switch (dialect) {
            case POSTGRESQL -> postgresql(rows);
            case MARIADB -> mariadb(rows);
            case H2 -> h2(rows);
        };
    }

    /**
     * The content hash of the row {@code alias} (a table alias, {@code EXCLUDED}, or null for the bare
     * columns): the first 16 hex digits of the MD5 of each content column's text as the database casts it,
     * written as {@code <length>:<text>} ({@code -} for NULL) and joined by {@code |}. Computed the same way
     * by {@code io.tributary.twoway.TwoWayVersion} for documents.
     */
    public String contentHash(String alias) {
        return contentHash(dialect, content, alias);
    }

    /** {@link #contentHash(String)} of any column list. */
    public static String contentHash(Dialect dialect, List<String> columns, String alias) {
        String text = dialect == Dialect.MARIADB ? "CHAR" : dialect == Dialect.POSTGRESQL ? "TEXT" : "VARCHAR";
        StringBuilder concat = new StringBuilder("CONCAT(''");
        for (int i = 0; i < columns.size(); i++) {
            String c = (alias == null ? "" : alias + ".") + columns.get(i);
            String cast = "CAST(" + c + " AS " + text + ")";
            concat.append(i == 0 ? ", " : ", '|', ").append("CASE WHEN ").append(c).append(" IS NULL THEN '-' ELSE CONCAT(")
                    .append("CHAR_LENGTH(").append(cast).append("), ':', ").append(cast).append(") END");
        }
        concat.append(")");
        String md5 = switch (dialect) {
            case POSTGRESQL -> "md5(" + concat + ")";
            case MARIADB -> "MD5(" + concat + ")";
            case H2 -> "LOWER(RAWTOHEX(HASH('MD5', " + concat + ")))";
        };
        String hash = "SUBSTRING(" + md5 + ", 1, 16)";
        return dialect == Dialect.POSTGRESQL ? hash + " COLLATE \"C\"" : hash;
    }

    /** {@code incoming} replaces {@code stored}: a later time, or the same time and a larger content hash. */
    private String newer(String incomingTime, String storedTime, String incomingHash, String storedHash) {
        return storedTime + " IS NULL OR " + incomingTime + " > " + storedTime + " OR (" + incomingTime + " = " + storedTime
                + " AND " + incomingHash + " > " + storedHash + ")";
    }

    private String columns() {
        return key + ", " + time + (content.isEmpty() ? "" : ", " + String.join(", ", content));
    }

    private String valueRows(int rows) {
        String one = "(" + "?, ".repeat(content.size() + 1) + "?)";
        return String.join(", ", Collections.nCopies(rows, one));
    }

    private String postgresql(int rows) {
        String set = content.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " AS t (" + columns() + ") VALUES " + valueRows(rows) + " ON CONFLICT (" + key
                + ") DO UPDATE SET " + time + " = EXCLUDED." + time + (set.isEmpty() ? "" : ", " + set) + " WHERE "
                + newer("EXCLUDED." + time, "t." + time, contentHash("EXCLUDED"), contentHash("t"));
    }

    /**
     * MariaDB evaluates the assignments of ON DUPLICATE KEY UPDATE left to right, each seeing the columns
     * already assigned: the decision is taken once, by the first assignment, into a session variable that
     * the others read, and the time column is assigned last.
     */
    private String mariadb(int rows) {
        String values = "VALUES(" + time + ")";
        String incomingHash = contentHash(dialect, content.stream().map(c -> "VALUES(" + c + ")").toList(), null);
        String decide = "@tributary_newer := (" + newer(values, time, incomingHash, contentHash(null)) + ")";
        StringBuilder set = new StringBuilder();
        boolean first = true;
        for (String c : content) {
            set.append(first ? "" : ", ").append(c).append(" = IF(").append(first ? decide : "@tributary_newer")
                    .append(", VALUES(").append(c).append("), ").append(c).append(")");
            first = false;
        }
        set.append(first ? "" : ", ").append(time).append(" = IF(").append(first ? decide : "@tributary_newer")
                .append(", ").append(values).append(", ").append(time).append(")");
        return "INSERT INTO " + table + " (" + columns() + ") VALUES " + valueRows(rows) + " ON DUPLICATE KEY UPDATE " + set;
    }

    private String h2(int rows) {
        List<String> all = new ArrayList<>();
        all.add(key);
        all.add(time);
        all.addAll(content);
        StringBuilder select = new StringBuilder();
        for (int i = 0; i < all.size(); i++) {
            select.append(i == 0 ? "SELECT " : ", ").append("CAST(? AS ").append(types.get(i)).append(") AS ").append(all.get(i));
        }
        String source = String.join(" UNION ALL ", Collections.nCopies(rows, select.toString()));
        String set = all.stream().skip(1).map(c -> c + " = s." + c).collect(Collectors.joining(", "));
        return "MERGE INTO " + table + " t USING (" + source + ") s ON t." + key + " = s." + key
                + " WHEN MATCHED AND (" + newer("s." + time, "t." + time, contentHash("s"), contentHash("t"))
                + ") THEN UPDATE SET " + set + " WHEN NOT MATCHED THEN INSERT (" + columns() + ") VALUES ("
                + all.stream().map(c -> "s." + c).collect(Collectors.joining(", ")) + ")";
    }
}
