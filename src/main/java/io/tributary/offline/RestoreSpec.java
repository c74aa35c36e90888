package io.tributary.offline;

import static io.tributary.http.RequestFields.flag;
import static io.tributary.http.RequestFields.requireKnown;
import static io.tributary.http.RequestFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.http.CollectionName;
import io.tributary.http.RequestFields;
import io.tributary.json.Json;
import io.tributary.sql.SqlIdentifier;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to restore, validated: a backup by name, the target (a SQL table through a DataSource bean, or a
 * central collection; always named explicitly), the partitions by pattern, and whether to overwrite.
 */
public final class RestoreSpec {

    /** A backup's name: one path segment, never {@code ..}. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private static final Set<String> FIELDS = Set.of("name", "target", "partition", "force", "dryRun");
    private static final Set<String> TARGET_FIELDS = Set.of("dataSource", "table", "database", "collection");

    private String name;
    private String dataSource;
    private String table;
    private String database = CollectionName.SYSTEM_DATABASE;
    private String collection;
    private PartitionPattern partition = PartitionPattern.of("%");
    private boolean force;
    private boolean dryRun;

    public static RestoreSpec parse(String json) {
        JsonNode root = RequestFields.object(json, "restore job body", "'name' and 'target'", FIELDS);
        RestoreSpec s = new RestoreSpec();
        s.name = text(root, "name");
        if (s.name == null) {
            throw ApiException.badParameter("'name' is required: the backup's directory name in the backup directory"
                    + " (the 'backup' of its backup job's result)");
        }
        if (!NAME.matcher(s.name).matches() || s.name.contains("..")) {
            throw ApiException.badParameter("'name' must name a backup: letters, digits, '.', '_', '-'"
                    + " (starting with a letter or digit, at most 128, no '..'), got '"
                    + ApiException.printable(s.name) + "'");
        }
        JsonNode target = root.path("target");
        if (!target.isObject()) {
            throw ApiException.badParameter("'target' is required: {dataSource, table} or {database, collection}");
        }
        requireKnown(target, TARGET_FIELDS, "target.");
        if (target.hasNonNull("dataSource")) {
            if (target.has("collection") || target.has("database")) {
                throw ApiException.badParameter("'target' is either {dataSource, table} or {database, collection}, not both");
            }
            try {
                s.dataSource = SqlIdentifier.require("target.dataSource", text(target, "dataSource"));
                s.table = SqlIdentifier.requireQualified("target.table", text(target, "table"));
            } catch (IllegalArgumentException e) {
                throw ApiException.badParameter(e.getMessage());
            }
        } else if (target.hasNonNull("collection")) {
            if (target.has("table")) {
                throw ApiException.badParameter("'target' is either {dataSource, table} or {database, collection}, not both");
            }
            s.collection = CollectionName.requireCollection(text(target, "collection"), "'target.collection'");
            s.database = CollectionName.requireDatabase(text(target, "database"));
        } else {
            throw ApiException.badParameter("'target' needs 'dataSource' and 'table' (a SQL table) or 'collection'"
                    + " (a central collection)");
        }
        if (root.has("partition")) {
            JsonNode p = root.get("partition");
            if (!p.isTextual() || p.asText().isEmpty()) {
                throw ApiException.badParameter("'partition' must be a pattern such as \"%\" or \"2026-11-*\"");
            }
            s.partition = PartitionPattern.of(p.asText());
        }
        s.force = flag(root, "force");
        s.dryRun = flag(root, "dryRun");
        return s;
    }

    public String name() {
        return name;
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

    public String database() {
        return database;
    }

    public String collection() {
        return collection;
    }

    public PartitionPattern partition() {
        return partition;
    }

    public boolean force() {
        return force;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("name", name);
        ObjectNode t = o.putObject("target");
        if (isTable()) {
            t.put("dataSource", dataSource).put("table", table);
        } else {
            t.put("database", database).put("collection", collection);
        }
        o.put("partition", partition.text()).put("force", force).put("dryRun", dryRun);
        return o;
    }
}
