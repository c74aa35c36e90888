package io.tributary.offline;

import static io.tributary.http.RequestFields.requireKnown;
import static io.tributary.http.RequestFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.json.Json;
import io.tributary.sql.SqlIdentifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which rows and columns of a source are read, and how they are cut into partitions: the {@code filter},
 * {@code columns} and {@code partitionBy} fields of a backup and of an online copy (a partitioned sync),
 * parsed and printed here only, so both accept the same JSON with the same error texts.
 *
 * @param where            the SQL condition of a table's filter; null: every row
 * @param keyFrom          a collection's filter: first key (inclusive); null: from the first
 * @param keyTo            a collection's filter: last key; null: to the last
 * @param attributeRange   a collection's filter on an attribute; null: none
 * @param columns          the columns (attributes) kept; null: all
 * @param by               none, value, day, month or keys
 * @param partitionColumn  the column of value, day or month
 * @param rowsPerPartition rows per partition with by keys
 */
public record Selection(String where, String keyFrom, String keyTo, AttributeRange attributeRange, List<String> columns,
                        String by, String partitionColumn, long rowsPerPartition) {

    /** The fields this record reads from a request body. */
    public static final Set<String> FIELDS = Set.of("filter", "columns", "partitionBy");
    private static final Set<String> PARTITION_FIELDS = Set.of("by", "column", "rowsPerPartition");
    private static final Set<String> BY = Set.of("none", "value", "day", "month", "keys");
    /** Rows per partition when partitioning by keys and no size is given. */
    static final long DEFAULT_ROWS_PER_PARTITION = 100_000;

    /** Everything, in one partition. */
    public static final Selection ALL = new Selection(null, null, null, null, null, "none", null, DEFAULT_ROWS_PER_PARTITION);

    /** Reads {@code filter}, {@code columns} and {@code partitionBy} of {@code root}; {@code table}: a SQL table's filter. */
    public static Selection parse(JsonNode root, boolean table) {
        String[] filter = filter(root.path("filter"), table);
        AttributeRange range = table ? null : AttributeRange.of(root.path("filter").isObject() ? root.path("filter") : null);
        if (range != null) {
            identifier(() -> SqlIdentifier.require("filter.attribute", range.attribute()));
        }
        List<String> columns = columns(root.path("columns"));
        ObjectNode p = partitioning(root.path("partitionBy"));
        return new Selection(filter[0], filter[1], filter[2], range, columns,
                p == null ? "none" : p.get("by").asText(), p == null || !p.has("column") ? null : p.get("column").asText(),
                p == null || !p.has("rowsPerPartition") ? DEFAULT_ROWS_PER_PARTITION : p.get("rowsPerPartition").asLong());
    }

    /** The attribute of a collection's attribute filter; null when there is none. */
    public String filterAttribute() {
        return attributeRange == null ? null : attributeRange.attribute();
    }

    /** Whether any of the fields is present in {@code root}. */
    public static boolean given(JsonNode root) {
        return FIELDS.stream().anyMatch(f -> root.hasNonNull(f));
    }

    private static String[] filter(JsonNode filter, boolean table) {
        String[] f = new String[3];
        if (filter.isMissingNode() || filter.isNull()) {
            return f;
        }
        if (!filter.isObject()) {
            throw ApiException.badParameter("'filter' must be an object: {where} for a SQL table, {keyFrom, keyTo,"
                    + " attribute, from, to} for a collection");
        }
        if (table) {
            requireKnown(filter, Set.of("where"), "filter.");
            f[0] = text(filter, "where");
            if (f[0] == null || f[0].isBlank()) {
                throw ApiException.badParameter("'filter.where' must be a SQL condition, e.g. \"ts >= CURRENT_DATE\"");
            }
        } else {
            requireKnown(filter, Set.of("keyFrom", "keyTo", "attribute", "from", "to"), "filter.");
            if ((filter.has("from") || filter.has("to")) && !filter.hasNonNull("attribute")) {
                throw ApiException.badParameter("'filter.from' and 'filter.to' go with 'filter.attribute'");
            }
            f[1] = text(filter, "keyFrom");
            f[2] = text(filter, "keyTo");
        }
        return f;
    }

    private static List<String> columns(JsonNode columns) {
        if (columns.isMissingNode() || columns.isNull()) {
            return null;
        }
        if (!columns.isArray() || columns.isEmpty()) {
            throw ApiException.badParameter("'columns' must be a non-empty list of column (or attribute) names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode c : columns) {
            if (!c.isTextual()) {
                throw ApiException.badParameter("'columns' must list names as strings");
            }
            names.add(identifier(() -> SqlIdentifier.require("columns", c.textValue())));
        }
        return List.copyOf(names);
    }

    /** The checked {@code partitionBy}; null when absent. */
    private static ObjectNode partitioning(JsonNode p) {
        if (p.isMissingNode() || p.isNull()) {
            return null;
        }
        if (!p.isObject()) {
            throw ApiException.badParameter("'partitionBy' must be an object: {by: value|day|month, column} or {by: keys, rowsPerPartition}");
        }
        requireKnown(p, PARTITION_FIELDS, "partitionBy.");
        String by = text(p, "by");
        if (by == null || !BY.contains(by)) {
            throw ApiException.badParameter("'partitionBy.by' must be one of none, value, day, month, keys, not '"
                    + ApiException.printable(String.valueOf(by)) + "'");
        }
        ObjectNode checked = Json.MAPPER.createObjectNode().put("by", by);
        if (by.equals("value") || by.equals("day") || by.equals("month")) {
            String column = text(p, "column");
            if (column == null) {
                throw ApiException.badParameter("'partitionBy.column' is required with by: " + by);
            }
            checked.put("column", identifier(() -> SqlIdentifier.require("partitionBy.column", column)));
        } else if (p.has("column")) {
            throw ApiException.badParameter("'partitionBy.column' goes with by: value, day or month");
        }
        if (p.has("rowsPerPartition")) {
            if (!by.equals("keys") || !p.get("rowsPerPartition").canConvertToLong() || p.get("rowsPerPartition").asLong() < 1) {
                throw ApiException.badParameter("'partitionBy.rowsPerPartition' goes with by: keys and must be at least 1");
            }
            checked.put("rowsPerPartition", p.get("rowsPerPartition").asLong());
        }
        return checked;
    }

    static String identifier(Supplier<String> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(e.getMessage());
        }
    }

    /** Adds {@code filter}, {@code columns} and {@code partitionBy} to a job's description. */
    public void write(ObjectNode o) {
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
    }

    /** The filter as the manifest records it; a JSON null when there is none. */
    JsonNode filterJson() {
        if (where != null) {
            return Json.MAPPER.createObjectNode().put("where", where);
        }
        if (keyFrom != null || keyTo != null || attributeRange != null) {
            ObjectNode f = Json.MAPPER.createObjectNode().put("keyFrom", keyFrom).put("keyTo", keyTo);
            if (attributeRange != null) {
                attributeRange.write(f);
            }
            return f;
        }
        return Json.MAPPER.nullNode();
    }

    /** The command line's {@code --columns A,B} and {@code --partition-by} as the JSON fields of a job's body. */
    public static void putOptions(java.util.Map<String, String> o, ObjectNode spec) {
        if (o.containsKey("columns")) {
            ArrayNode columns = spec.putArray("columns");
            for (String c : o.get("columns").split(",")) {
                columns.add(c.trim());
            }
        }
        if (o.containsKey("partition-by")) {
            spec.set("partitionBy", partitionBy(o.get("partition-by")));
        }
    }

    /**
     * {@code --partition-by}: {@code day:COLUMN}, {@code month:COLUMN}, {@code value:COLUMN}, {@code keys:ROWS}
     * or {@code none}, as the JSON {@code partitionBy} of a job.
     */
    private static ObjectNode partitionBy(String option) {
        int colon = option.indexOf(':');
        String by = colon < 0 ? option : option.substring(0, colon);
        String arg = colon < 0 ? null : option.substring(colon + 1);
        ObjectNode p = Json.MAPPER.createObjectNode().put("by", by);
        if (by.equals("keys")) {
            long rows = io.tributary.cli.CommandLineArguments.number(java.util.Map.of("partition-by", arg == null ? "" : arg), "partition-by", "",
                    Long::parseLong);
            p.put("rowsPerPartition", rows);
        } else if (arg != null) {
            p.put("column", arg);
        }
        return p;
    }

}
