package io.tributary.sync;

import io.tributary.http.ApiException;
import io.tributary.sql.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The SQL tables a sync job may read, listed per DataSource bean in
 * {@code tributary.sync.sql-sources.<bean>.tables}: a job can reach nothing else the node can reach. A bean
 * without such a list is no sync source at all; system catalogs are refused even when listed.
 */
public final class SqlSourceTables {

    private static final String PREFIX = "tributary.sync.sql-sources.";
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("pg_catalog", "information_schema", "mysql",
            "performance_schema", "sys");

    private final Function<String, Optional<String>> properties;

    /** @param properties looks up a configuration property by name (Camel's properties component) */
    SqlSourceTables(Function<String, Optional<String>> properties) {
        this.properties = properties;
    }

    static String key(String dataSource) {
        return PREFIX + dataSource + ".tables";
    }

    /**
     * 403 unless {@code table} is listed for {@code dataSource}, exactly as written there (names are
     * compared as given: on MariaDB {@code Items} and {@code items} are different tables). Both names were
     * validated as identifiers, so the property looked up is always one of this family.
     */
    void check(String dataSource, String table) {
        refuseSystemCatalog(table);
        Optional<String> listed = properties.apply(key(dataSource)).filter(v -> !v.isBlank());
        if (listed.isEmpty()) {
            throw new ApiException(403, ApiException.FORBIDDEN, "DataSource '" + dataSource + "' is not a sync source: list the"
                    + " tables a sync may read from it in " + key(dataSource) + " (comma-separated, e.g. orders,public.customers)");
        }
        boolean allowed = Arrays.stream(listed.get().split(",")).map(String::trim).anyMatch(table::equals);
        if (!allowed) {
            throw new ApiException(403, ApiException.FORBIDDEN, "table '" + table + "' of DataSource '" + dataSource
                    + "' is not a sync source: add it to " + key(dataSource));
        }
    }

    /**
     * 403 for a table of a system catalog: qualified by a system schema, or an unqualified {@code pg_} name,
     * which PostgreSQL finds in {@code pg_catalog} before any schema of the search path.
     */
    public static void refuseSystemCatalog(String table) {
        int dot = table.indexOf('.');
        String schema = dot < 0 ? null : table.substring(0, dot).toLowerCase(Locale.ROOT);
        String name = table.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (schema != null && isSystemSchema(schema) || schema == null && name.startsWith("pg_")) {
            throw systemCatalog(table);
        }
    }

    /** The same for an unqualified name read through a connection whose current schema is a system one. */
    public static void refuseSystemCatalog(String table, Connection c, Dialect d) throws SQLException {
        refuseSystemCatalog(table);
        if (table.indexOf('.') < 0) {
            // MariaDB calls the current database the catalog; PostgreSQL and H2 have a current schema
            String current = d == Dialect.MARIADB ? c.getCatalog() : c.getSchema();
            if (current != null && isSystemSchema(current.toLowerCase(Locale.ROOT))) {
                throw systemCatalog(current + "." + table);
            }
        }
    }

    private static boolean isSystemSchema(String schema) {
        return SYSTEM_SCHEMAS.contains(schema) || schema.startsWith("pg_");
    }

    private static ApiException systemCatalog(String table) {
        return new ApiException(403, ApiException.FORBIDDEN, "table '" + table + "' is in a system catalog: never a sync source");
    }
}
