package io.tributary.sql;

import io.tributary.http.ApiException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The SQL tables jobs of one purpose may use, listed per DataSource bean in {@code <prefix><bean>.tables}
 * (e.g. {@code tributary.sync.sql-sources.<bean>.tables}, what sync jobs may read): a job can reach nothing
 * else the node can reach. A bean without such a list is not usable for that purpose at all; system
 * catalogs are refused even when listed.
 */
public final class ListedTables {

    /** What sync and backup jobs may read. */
    public static final String SYNC_SOURCES = "tributary.sync.sql-sources.";

    private static final Set<String> SYSTEM_SCHEMAS = Set.of("pg_catalog", "information_schema", "mysql",
            "performance_schema", "sys");

    private final String prefix;
    private final String purpose;
    private final Function<String, Optional<String>> properties;

    /**
     * @param prefix     the settings' common start, e.g. {@link #SYNC_SOURCES}
     * @param purpose    what a listed table is, for the refusals: "sync source", "restore target"
     * @param properties looks up a configuration property by name (Camel's properties component)
     */
    public ListedTables(String prefix, String purpose, Function<String, Optional<String>> properties) {
        this.prefix = prefix;
        this.purpose = purpose;
        this.properties = properties;
    }

    /** Nothing listed: every table is refused. */
    public static ListedTables none(String prefix, String purpose) {
        return new ListedTables(prefix, purpose, name -> Optional.empty());
    }

    public String key(String dataSource) {
        return prefix + dataSource + ".tables";
    }

    /**
     * 403 unless {@code table} is listed for {@code dataSource}, exactly as written there (names are
     * compared as given: on MariaDB {@code Items} and {@code items} are different tables). Both names were
     * validated as identifiers, so the property looked up is always one of this family.
     */
    public void check(String dataSource, String table) {
        refuseSystemCatalog(table);
        Optional<String> listed = properties.apply(key(dataSource)).filter(v -> !v.isBlank());
        if (listed.isEmpty()) {
            throw new ApiException(403, ApiException.FORBIDDEN, "DataSource '" + dataSource + "' is not a " + purpose
                    + ": list its tables in " + key(dataSource) + " (comma-separated, e.g. orders,public.customers)");
        }
        boolean allowed = Arrays.stream(listed.get().split(",")).map(String::trim).anyMatch(table::equals);
        if (!allowed) {
            throw new ApiException(403, ApiException.FORBIDDEN, "table '" + table + "' of DataSource '" + dataSource
                    + "' is not a " + purpose + ": add it to " + key(dataSource));
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
        return new ApiException(403, ApiException.FORBIDDEN, "table '" + table + "' is in a system catalog: never used by a job");
    }
}
