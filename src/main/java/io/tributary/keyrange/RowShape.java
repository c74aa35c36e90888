package io.tributary.keyrange;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/** How the rows of one table become sync documents, and how its keys are ordered and looked up in SQL. */
public interface RowShape {

    /** Quoted table name, from validated identifiers only. */
    String table();

    /** The columns to select, in the order {@link #reader} expects them. */
    String columns();

    /** An expression of the key's text that orders by ASCII bytes, for ranges ({@code >}, {@code <=}, ORDER BY). */
    String orderedKey();

    /** The key column as stored, for lookups by key that can use its index. */
    String keyColumn();

    /** Binds a key (its text) to a lookup parameter of {@link #keyColumn()}'s type. */
    void bindKey(PreparedStatement ps, int index, String key) throws SQLException;

    /** Reads the rows of one result set; what depends on its columns is worked out once, here. */
    RowReader reader(ResultSetMetaData meta) throws SQLException;

    @FunctionalInterface
    interface RowReader {
        VersionedDocument read(ResultSet rs) throws SQLException;
    }
}
