package io.tributary.twoway;

import static io.tributary.http.RequestFields.flag;
import static io.tributary.http.RequestFields.number;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.http.CollectionName;
import io.tributary.http.RequestFields;
import io.tributary.json.Json;
import io.tributary.sql.SqlIdentifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A two-way sync pair and one run's options, validated. Side A is always SQL tables of a DataSource bean;
 * side B is the same tables' counterparts in another DataSource bean, or central collections of this node.
 * The tables are a list, every table of a schema, or the tables matching a LIKE pattern; each is mapped to
 * B's name {@code prefix + table + suffix}. Holds no password (DataSources are beans).
 */
public final class TwoWaySpec {

    private static final Set<String> FIELDS = Set.of("pair", "a", "b", "tables", "schema", "tablePattern", "mapping",
            "keyColumn", "timestampColumn", "deletedColumn", "begin", "end", "storeEnd", "safetyLagMs", "maxWaitSeconds",
            "blocking");
    /** The fields of the nested objects, each refused by its full name ({@code mapping.prefx}) when unknown. */
    private static final Set<String> A_FIELDS = Set.of("dataSource");
    /** One set for B's three forms: the route template fills in every field, with the unused ones empty. */
    private static final Set<String> B_FIELDS = Set.of("dataSource", "schema", "collections", "url", "username", "password",
            "database");
    private static final Set<String> MAPPING_FIELDS = Set.of("prefix", "suffix");
    /** The default lag behind the database clock: the timestamp capture mode's, for the same late commits. */
    public static final long DEFAULT_SAFETY_LAG_MS = 5000;

    String pair;
    String aDataSource;
    String bDataSource;
    String bDatabase;
    /** Another node's collections: its URL (a configured peer) and credentials; the password is never shown. */
    String bUrl;
    String bUsername;
    String bPassword;
    String bSchema;
    List<String> tables = List.of();
    String schema;
    String tablePattern;
    String prefix = "";
    String suffix = "";
    String keyColumn;
    String timestampColumn;
    String deletedColumn;
    LocalDateTime begin;
    LocalDateTime end;
    boolean storeEnd;
    long safetyLagMs = DEFAULT_SAFETY_LAG_MS;
    long maxWaitSeconds;
    boolean blocking;

    public static TwoWaySpec parse(String json) {
        JsonNode root = RequestFields.object(json, "two-way job body", "'pair', 'a', 'b' and the tables", FIELDS);
        TwoWaySpec s = new TwoWaySpec();
        s.pair = text(root, "pair");
        if (s.pair == null || !s.pair.matches("[A-Za-z0-9_.:-]{1,200}")) {
            throw ApiException.badParameter("'pair' is required: the name the pair's state is stored under"
                    + " (letters, digits, _ . : -, at most 200)");
        }
        RequestFields.requireKnown(root.path("a"), A_FIELDS, "a.");
        s.aDataSource = identifier(() -> SqlIdentifier.require("a.dataSource", text(root.path("a"), "dataSource")));
        JsonNode b = root.path("b");
        RequestFields.requireKnown(b, B_FIELDS, "b.");
        if (text(b, "dataSource") != null) {
            s.bDataSource = identifier(() -> SqlIdentifier.require("b.dataSource", text(b, "dataSource")));
            if (text(b, "schema") != null) {
                s.bSchema = identifier(() -> SqlIdentifier.require("b.schema", text(b, "schema")));
            }
        } else if (flag(b, "collections") || text(b, "url") != null) {
            s.bDatabase = CollectionName.requireDatabase(text(b, "database"));
            s.bUrl = text(b, "url") == null ? null : text(b, "url").replaceAll("/$", "");
            if (s.bUrl != null && !s.bUrl.matches("https?://[A-Za-z0-9.\\[\\]:-]+/?")) {
                throw ApiException.badParameter("'b.url' must be a node URL such as http://node-b:8529 (credentials in"
                        + " b.username and b.password)");
            }
            s.bUsername = text(b, "username");
            s.bPassword = text(b, "password");
        } else {
            throw ApiException.badParameter("'b' must be {\"dataSource\": bean[, \"schema\"]} (tables),"
                    + " {\"collections\": true[, \"database\"]} (central collections of this node) or {\"url\": node,"
                    + " \"username\", \"password\"[, \"database\"]} (collections of another node)");
        }
        JsonNode tables = root.path("tables");
        if (tables.isTextual() && !tables.asText().isBlank() || tables.isArray()) {
            // a list, or (the route template's form) one text of comma-separated names
            List<String> names = new ArrayList<>();
            if (tables.isArray()) {
                tables.forEach(t -> names.add(t.asText()));
            } else {
                for (String t : tables.asText().split(",")) {
                    names.add(t.trim());
                }
            }
            if (names.isEmpty()) {
                throw ApiException.badParameter("'tables' must be a non-empty list of table names");
            }
            s.tables = names.stream().map(t -> identifier(() -> SqlIdentifier.requireQualified("tables[]", t))).toList();
        }
        if (text(root, "schema") != null) {
            s.schema = identifier(() -> SqlIdentifier.require("schema", text(root, "schema")));
        }
        s.tablePattern = text(root, "tablePattern");
        if (s.tablePattern != null && !s.tablePattern.matches("[A-Za-z0-9_%]{1,63}")) {
            throw ApiException.badParameter("'tablePattern' is a LIKE pattern of letters, digits, _ and %");
        }
        if (s.tables.isEmpty() && s.schema == null && s.tablePattern == null) {
            throw ApiException.badParameter("name the tables: 'tables' (a list), 'schema' (all its tables) or"
                    + " 'tablePattern' (LIKE), the last two may be combined");
        }
        if (!s.tables.isEmpty() && (s.schema != null || s.tablePattern != null)) {
            throw ApiException.badParameter("'tables' is a list: give either it or 'schema'/'tablePattern'");
        }
        JsonNode mapping = root.path("mapping");
        // a misspelled prefix would map every table to its own name, refused later as "not a two-way collection"
        RequestFields.requireKnown(mapping, MAPPING_FIELDS, "mapping.");
        s.prefix = mapping.path("prefix").asText("");
        s.suffix = mapping.path("suffix").asText("");
        if (!(s.prefix + s.suffix).matches("[A-Za-z0-9_]*")) {
            throw ApiException.badParameter("'mapping.prefix' and 'mapping.suffix' may hold letters, digits and _ only");
        }
        s.keyColumn = identifier(() -> SqlIdentifier.require("keyColumn", text(root, "keyColumn")));
        s.timestampColumn = identifier(() -> SqlIdentifier.require("timestampColumn", text(root, "timestampColumn")));
        if (text(root, "deletedColumn") != null) {
            s.deletedColumn = identifier(() -> SqlIdentifier.require("deletedColumn", text(root, "deletedColumn")));
        }
        s.begin = time(root, "begin");
        s.end = time(root, "end");
        if (s.begin != null && s.end != null && s.begin.isAfter(s.end)) {
            throw ApiException.badParameter("'begin' " + s.begin + " is after 'end' " + s.end);
        }
        s.storeEnd = flag(root, "storeEnd");
        s.safetyLagMs = number(root, "safetyLagMs", DEFAULT_SAFETY_LAG_MS);
        s.maxWaitSeconds = number(root, "maxWaitSeconds", 0);
        s.blocking = flag(root, "blocking");
        if (s.safetyLagMs < 0 || s.maxWaitSeconds < 0) {
            throw ApiException.badParameter("'safetyLagMs' and 'maxWaitSeconds' must be >= 0");
        }
        return s;
    }

    /** The name of {@code table} (of side A) on side B: prefix + its name without schema + suffix. */
    String mapped(String table) {
        String bare = table.substring(table.indexOf('.') + 1);
        String name = prefix + bare + suffix;
        if (bDataSource != null) {
            SqlIdentifier.require("mapped table", name);
            return bSchema == null ? name : bSchema + "." + name;
        }
        return CollectionName.requireCollection(name, "'mapped collection'");
    }

    boolean toCollections() {
        return bDataSource == null;
    }

    /** Whether this run names its range: then the stored end moves only with {@code storeEnd}. */
    boolean explicitRange() {
        return begin != null || end != null;
    }

    /**
     * The fingerprint of everything that makes a pair's state meaningful: both stores, the table selection,
     * the mapping, the columns, and the tables a schema or pattern resolved to (a new table matching the
     * pattern must be read from the epoch). A change of any of them starts a fresh state.
     */
    String fingerprint(List<String> resolvedTables) {
        ObjectNode o = parameters();
        o.set("resolvedTables", Json.MAPPER.valueToTree(resolvedTables));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(o.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode parameters() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.putObject("a").put("dataSource", aDataSource);
        ObjectNode b = o.putObject("b");
        if (toCollections()) {
            b.put("collections", true).put("database", bDatabase);
            if (bUrl != null) {
                b.put("url", bUrl).put("username", bUsername);
            }
        } else {
            b.put("dataSource", bDataSource).put("schema", bSchema);
        }
        o.set("tables", Json.MAPPER.valueToTree(tables));
        o.put("schema", schema).put("tablePattern", tablePattern);
        o.putObject("mapping").put("prefix", prefix).put("suffix", suffix);
        o.put("keyColumn", keyColumn).put("timestampColumn", timestampColumn).put("deletedColumn", deletedColumn);
        return o;
    }

    public boolean blocking() {
        return blocking;
    }

    /** The job's description as shown and stored. */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode().put("pair", pair);
        o.setAll(parameters());
        o.put("begin", begin == null ? null : begin.toString()).put("end", end == null ? null : end.toString())
                .put("storeEnd", storeEnd).put("safetyLagMs", safetyLagMs).put("maxWaitSeconds", maxWaitSeconds);
        return o;
    }

    /** A text field; empty counts as absent (the route template passes every parameter, empty ones as ""). */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    private static LocalDateTime time(JsonNode root, String field) {
        String v = text(root, field);
        try {
            return v == null ? null : LocalDateTime.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.badParameter("'" + field + "' must be a local date-time like 2026-01-31T00:00:00, not '"
                    + ApiException.printable(v) + "'");
        }
    }

    private static String identifier(Supplier<String> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(e.getMessage());
        }
    }
}
