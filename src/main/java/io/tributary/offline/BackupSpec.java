package io.tributary.offline;

import static io.tributary.http.RequestFields.requireKnown;
import static io.tributary.http.RequestFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionName;
import io.tributary.http.ApiException;
import io.tributary.http.RequestFields;
import io.tributary.json.Json;
import io.tributary.sql.SqlIdentifier;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What to back up, validated: the source (a SQL table through a DataSource bean, or a collection of this
 * node), the backup's name, the rows (a filter), the columns, and how the rows are cut into partition files.
 * The SQL filter is checked against the table's columns when the backup opens it ({@link RowFilter}).
 */
public final class BackupSpec {

    private static final Set<String> FIELDS = Set.of("source", "name", "filter", "columns", "partitionBy", "dryRun");
    private static final Set<String> SOURCE_FIELDS = Set.of("dataSource", "table", "keyColumn", "database", "collection");
    private static final Set<String> PARTITION_FIELDS = Set.of("by", "column", "rowsPerPartition");
    private static final Set<String> BY = Set.of("none", "value", "day", "month", "keys");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    /** Rows per file when partitioning by keys and no size is given. */
    static final long DEFAULT_ROWS_PER_PARTITION = 100_000;

    private String dataSource;
    private String table;
    private String keyColumn;
    private String database = CollectionName.SYSTEM_DATABASE;
    private String collection;
    private String name;
    private String where;
    private String keyFrom;
    private String keyTo;
    private List<String> columns;
    private String by = "none";
    private String partitionColumn;
    private long rowsPerPartition = DEFAULT_ROWS_PER_PARTITION;
    private boolean dryRun;

    public static BackupSpec parse(String json) {
        JsonNode root = RequestFields.object(json, "backup job body", "'source'", FIELDS);
        BackupSpec s = new BackupSpec();
        JsonNode source = root.path("source");
        if (!source.isObject()) {
            throw ApiException.badParameter("'source' is required: {dataSource, table, keyColumn} (a SQL table) or"
                    + " {database, collection} (a collection of this node)");
        }
        requireKnown(source, SOURCE_FIELDS, "source.");
        if (source.hasNonNull("dataSource")) {
            if (source.has("collection") || source.has("database")) {
                throw ApiException.badParameter("'source' is either {dataSource, table, keyColumn} or {database, collection}, not both");
            }
            s.dataSource = identifier(() -> SqlIdentifier.require("source.dataSource", text(source, "dataSource")));
            s.table = identifier(() -> SqlIdentifier.requireQualified("source.table", text(source, "table")));
            s.keyColumn = identifier(() -> SqlIdentifier.require("source.keyColumn", text(source, "keyColumn")));
        } else if (source.hasNonNull("collection")) {
            if (source.has("table") || source.has("keyColumn")) {
                throw ApiException.badParameter("'source' is either {dataSource, table, keyColumn} or {database, collection}, not both");
            }
            s.collection = CollectionName.requireCollection(text(source, "collection"), "'source.collection'");
            s.database = CollectionName.requireDatabase(text(source, "database"));
        } else {
            throw ApiException.badParameter("'source' needs 'dataSource', 'table' and 'keyColumn' (a SQL table) or"
                    + " 'collection' (a collection of this node)");
        }
        s.name = text(root, "name");
        if (s.name == null) {
            s.name = (s.isTable() ? s.table : s.collection) + "-" + STAMP.format(ZonedDateTime.now(ZoneOffset.UTC));
        }
        if (!RestoreSpec.NAME.matcher(s.name).matches() || s.name.contains("..")) {
            throw ApiException.badParameter("'name' must be letters, digits, '.', '_', '-' (starting with a letter or"
                    + " digit, at most 128, no '..'), got '" + ApiException.printable(s.name) + "'");
        }
        filter(root.path("filter"), s);
        columns(root.path("columns"), s);
        partitioning(root.path("partitionBy"), s);
        JsonNode dry = root.path("dryRun");
        if (!dry.isMissingNode() && !dry.isNull() && !dry.isBoolean()) {
            throw ApiException.badParameter("'dryRun' must be true or false");
        }
        s.dryRun = dry.asBoolean(false);
        return s;
    }

    private static void filter(JsonNode filter, BackupSpec s) {
        if (filter.isMissingNode() || filter.isNull()) {
            return;
        }
        if (!filter.isObject()) {
            throw ApiException.badParameter("'filter' must be an object: {where} for a SQL table, {keyFrom, keyTo} for a collection");
        }
        if (s.isTable()) {
            requireKnown(filter, Set.of("where"), "filter.");
            s.where = text(filter, "where");
            if (s.where == null || s.where.isBlank()) {
                throw ApiException.badParameter("'filter.where' must be a SQL condition, e.g. \"ts >= CURRENT_DATE\"");
            }
        } else {
            requireKnown(filter, Set.of("keyFrom", "keyTo"), "filter.");
            s.keyFrom = text(filter, "keyFrom");
            s.keyTo = text(filter, "keyTo");
        }
    }

    private static void columns(JsonNode columns, BackupSpec s) {
        if (columns.isMissingNode() || columns.isNull()) {
            return;
        }
        if (!columns.isArray() || columns.isEmpty()) {
            throw ApiException.badParameter("'columns' must be a non-empty list of column (or attribute) names");
        }
        s.columns = new ArrayList<>();
        for (JsonNode c : columns) {
            if (!c.isTextual()) {
                throw ApiException.badParameter("'columns' must list names as strings");
            }
            s.columns.add(identifier(() -> SqlIdentifier.require("columns", c.textValue())));
        }
    }

    private static void partitioning(JsonNode p, BackupSpec s) {
        if (p.isMissingNode() || p.isNull()) {
            return;
        }
        if (!p.isObject()) {
            throw ApiException.badParameter("'partitionBy' must be an object: {by: value|day|month, column} or {by: keys, rowsPerPartition}");
        }
        requireKnown(p, PARTITION_FIELDS, "partitionBy.");
        s.by = text(p, "by");
        if (s.by == null || !BY.contains(s.by)) {
            throw ApiException.badParameter("'partitionBy.by' must be one of none, value, day, month, keys, not '"
                    + ApiException.printable(String.valueOf(s.by)) + "'");
        }
        if (s.by.equals("value") || s.by.equals("day") || s.by.equals("month")) {
            String column = text(p, "column");
            if (column == null) {
                throw ApiException.badParameter("'partitionBy.column' is required with by: " + s.by);
            }
            s.partitionColumn = identifier(() -> SqlIdentifier.require("partitionBy.column", column));
        } else if (p.has("column")) {
            throw ApiException.badParameter("'partitionBy.column' goes with by: value, day or month");
        }
        if (p.has("rowsPerPartition")) {
            if (!s.by.equals("keys") || !p.get("rowsPerPartition").canConvertToLong() || p.get("rowsPerPartition").asLong() < 1) {
                throw ApiException.badParameter("'partitionBy.rowsPerPartition' goes with by: keys and must be at least 1");
            }
            s.rowsPerPartition = p.get("rowsPerPartition").asLong();
        }
    }

    private static String identifier(Supplier<String> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(e.getMessage());
        }
    }

    public boolean isTable() {
        return dataSource != null;
    }

    public String dataSource() {
        return dataSource;
    }

    public String table() {
        return table;
    }

    public String keyColumn() {
        return keyColumn;
    }

    public String database() {
        return database;
    }

    public String collection() {
        return collection;
    }

    public String name() {
        return name;
    }

    /** The SQL condition as given; null: every row. */
    public String where() {
        return where;
    }

    public String keyFrom() {
        return keyFrom;
    }

    public String keyTo() {
        return keyTo;
    }

    /** The columns (attributes) to keep; null: all. */
    public List<String> columns() {
        return columns;
    }

    /** none, value, day, month or keys. */
    public String by() {
        return by;
    }

    public String partitionColumn() {
        return partitionColumn;
    }

    public long rowsPerPartition() {
        return rowsPerPartition;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ObjectNode source = o.putObject("source");
        if (isTable()) {
            source.put("dataSource", dataSource).put("table", table).put("keyColumn", keyColumn);
        } else {
            source.put("database", database).put("collection", collection);
        }
        o.put("name", name);
        o.set("filter", filterJson());
        if (columns != null) {
            ArrayNode c = o.putArray("columns");
            columns.forEach(c::add);
        }
        ObjectNode p = o.putObject("partitionBy").put("by", by);
        if (partitionColumn != null) {
            p.put("column", partitionColumn);
        }
        if (by.equals("keys")) {
            p.put("rowsPerPartition", rowsPerPartition);
        }
        return o.put("dryRun", dryRun);
    }

    /** The filter as the manifest records it; null when there is none. */
    JsonNode filterJson() {
        if (where != null) {
            return Json.MAPPER.createObjectNode().put("where", where);
        }
        if (keyFrom != null || keyTo != null) {
            return Json.MAPPER.createObjectNode().put("keyFrom", keyFrom).put("keyTo", keyTo);
        }
        return Json.MAPPER.nullNode();
    }
}
