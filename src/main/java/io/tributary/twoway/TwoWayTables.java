package io.tributary.twoway;

import io.tributary.http.ApiException;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import io.tributary.sql.ListedTables;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.springframework.jdbc.core.ConnectionCallback;

/**
 * Which tables a two-way pair covers, and whether this node lets a job read and write them. A two-way job
 * writes both sides, so nothing is a two-way table unless listed: per DataSource bean in
 * {@code tributary.two-way.sql-tables.<bean>.tables} (names as the job resolves them; {@link ListedTables}),
 * collections in {@code tributary.two-way.collections}. System catalogs and Tributary's own tables are never
 * two-way tables.
 */
public final class TwoWayTables {

    public static final String PREFIX = "tributary.two-way.sql-tables.";
    public static final String COLLECTIONS = "tributary.two-way.collections";

    private final Function<String, Optional<String>> properties;
    private final ListedTables tables;

    /** @param properties looks up a configuration property by name; null: no checks (the command line) */
    TwoWayTables(Function<String, Optional<String>> properties) {
        this.properties = properties;
        this.tables = properties == null ? null : new ListedTables(PREFIX, "two-way table", properties);
    }

    /** The tables of side A the spec selects: its list, or the schema's tables matching the pattern. */
    static List<String> select(TwoWaySpec spec, Jdbc a, Predicate<String> ownTable) {
        if (!spec.tables.isEmpty()) {
            spec.tables.forEach(ListedTables::refuseSystemCatalog);
            return spec.tables;
        }
        Dialect d = a.dialect();
        List<String> found = a.template().execute((ConnectionCallback<List<String>>) c -> list(c, d, spec));
        List<String> tables = new ArrayList<>();
        for (String t : found) {
            String name = spec.schema == null ? t : spec.schema + "." + t;
            if (!t.startsWith("tributary_") && !ownTable.test(name)) {
                tables.add(name);
            }
        }
        if (tables.isEmpty()) {
            throw ApiException.badParameter("no table of DataSource '" + spec.aDataSource + "' matches schema '"
                    + spec.schema + "' and tablePattern '" + spec.tablePattern + "'");
        }
        tables.forEach(ListedTables::refuseSystemCatalog);
        return tables;
    }

    private static List<String> list(Connection c, Dialect d, TwoWaySpec spec) throws SQLException {
        boolean upper = d == Dialect.H2; // H2 keeps unquoted names in upper case
        String schema = spec.schema == null ? null : upper ? spec.schema.toUpperCase(Locale.ROOT) : spec.schema;
        String pattern = spec.tablePattern == null ? "%" : upper ? spec.tablePattern.toUpperCase(Locale.ROOT) : spec.tablePattern;
        DatabaseMetaData meta = c.getMetaData();
        String catalog = d == Dialect.MARIADB ? (schema != null ? schema : c.getCatalog()) : null;
        String inSchema = d == Dialect.MARIADB ? null : schema != null ? schema : c.getSchema();
        List<String> names = new ArrayList<>();
        try (ResultSet rs = meta.getTables(catalog, inSchema, pattern, new String[] {"TABLE"})) {
            while (rs.next()) {
                String n = rs.getString("TABLE_NAME");
                names.add(upper ? n.toLowerCase(Locale.ROOT) : n);
            }
        }
        names.sort(null);
        return names;
    }

    /** 403 unless the node lists {@code table} as a two-way table of {@code dataSource}. */
    void checkTable(String dataSource, String table) {
        ListedTables.refuseSystemCatalog(table);
        if (tables != null) {
            tables.check(dataSource, table);
        }
    }

    /** 403 unless the node lists {@code collection} as a two-way collection. */
    void checkCollection(String collection) {
        if (properties == null) {
            return;
        }
        Optional<String> listed = properties.apply(COLLECTIONS).filter(v -> !v.isBlank());
        if (listed.isEmpty() || Arrays.stream(listed.get().split(",")).map(String::trim).noneMatch(collection::equals)) {
            throw new ApiException(403, ApiException.FORBIDDEN, "collection '" + collection + "' is not a two-way"
                    + " collection: add it to " + COLLECTIONS + " (comma-separated)");
        }
    }
}
