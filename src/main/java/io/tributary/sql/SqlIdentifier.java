package io.tributary.sql;

import java.util.regex.Pattern;

/**
 * Validates names that are configured by users (tables, columns, schemas) before they are put into
 * SQL text. Values never go into SQL text; they are always bound as parameters.
 */
public final class SqlIdentifier {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private SqlIdentifier() {
    }

    /** A plain identifier: letters, digits, underscore; 63 characters at most (PostgreSQL's limit). */
    public static String require(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid " + what + " '" + name
                    + "': use letters, digits and '_' (not starting with a digit), at most 63 characters");
        }
        return name;
    }

    /** A table name, optionally qualified by a schema: {@code table} or {@code schema.table}. */
    public static String requireQualified(String what, String name) {
        if (name == null) {
            throw new IllegalArgumentException("Missing " + what);
        }
        int dot = name.indexOf('.');
        if (dot < 0) {
            return require(what, name);
        }
        require(what + " schema", name.substring(0, dot));
        require(what, name.substring(dot + 1));
        return name;
    }
}
