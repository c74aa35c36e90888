package io.tributary.http;

import java.util.regex.Pattern;

/**
 * ArangoDB's traditional naming rules for collections and databases. Every name is checked here
 * before it is used to find or derive a table, so no request text ever reaches SQL as an identifier.
 */
public final class CollectionName {

    /** User collections: a letter first, then letters, digits, '_' or '-'; at most 256 bytes (ASCII only). */
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,255}");
    /** Databases: as collections but 64 bytes at most; {@code _system} is the default database. */
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    public static final String SYSTEM_DATABASE = "_system";

    private CollectionName() {
    }

    /** @param source where the name is given, for the error when it is missing: {@code the 'collection' parameter} */
    public static String requireCollection(String name, String source) {
        if (name == null || name.isEmpty()) {
            throw ApiException.badParameter("missing collection name: give " + source);
        }
        if (!COLLECTION.matcher(name).matches()) {
            throw new ApiException(400, ApiException.ILLEGAL_NAME, "illegal name: collection '" + ApiException.printable(name)
                    + "' must start with a letter and contain only letters, digits, '_' and '-' (at most 256)");
        }
        return name;
    }

    public static String requireDatabase(String name) {
        if (name == null || name.isEmpty()) {
            return SYSTEM_DATABASE;
        }
        if (!name.equals(SYSTEM_DATABASE) && !DATABASE.matcher(name).matches()) {
            throw new ApiException(400, ApiException.DATABASE_NAME_INVALID, "database name invalid: '" + ApiException.printable(name)
                    + "' must start with a letter and contain only letters, digits, '_' and '-' (at most 64)");
        }
        return name;
    }
}
