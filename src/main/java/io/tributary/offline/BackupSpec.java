package io.tributary.offline;

import static io.tributary.http.RequestFields.requireKnown;
import static io.tributary.http.RequestFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.http.CollectionName;
import io.tributary.http.RequestFields;
import io.tributary.json.Json;
import io.tributary.node.PeerNodes;
import io.tributary.sql.SqlIdentifier;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What to back up, validated: the source (a SQL table through a DataSource bean, a collection of this
 * node, or another node's collection read over HTTP), the backup's name, the rows (a filter), the columns, and how the rows are cut into partition files.
 * The SQL filter is checked against the table's columns when the backup opens it ({@link RowFilter}).
 * A node's password is kept for the run only; {@link #toJson()} leaves it out.
 */
public final class BackupSpec {

    private static final Set<String> FIELDS = Set.of("source", "name", "filter", "columns", "partitionBy", "compression",
            "compressionLevel", "dryRun");
    private static final Set<String> SOURCE_FIELDS = Set.of("dataSource", "table", "keyColumn", "database", "collection",
            "url", "username", "password");
    private static final String SOURCES = "{dataSource, table, keyColumn} (a SQL table), {database, collection} (a"
            + " collection of this node) or {url, database, collection, username, password} (another node's collection)";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private String dataSource;
    private String table;
    private String keyColumn;
    private String database = CollectionName.SYSTEM_DATABASE;
    private String collection;
    private String url;
    private String username;
    private String password;
    private String name;
    private Selection selection = Selection.ALL;
    private PartitionCompression compression = PartitionCompression.DEFAULT;
    private int compressionLevel = PartitionCompression.DEFAULT.defaultLevel;
    private boolean dryRun;

    public static BackupSpec parse(String json) {
        JsonNode root = RequestFields.object(json, "backup job body", "'source'", FIELDS);
        BackupSpec s = new BackupSpec();
        JsonNode source = root.path("source");
        if (!source.isObject()) {
            throw ApiException.badParameter("'source' is required: " + SOURCES);
        }
        requireKnown(source, SOURCE_FIELDS, "source.");
        if (source.hasNonNull("dataSource")) {
            if (source.has("collection") || source.has("database") || source.has("url")) {
                throw ApiException.badParameter("'source' is one of " + SOURCES + ", not several");
            }
            s.dataSource = identifier(() -> SqlIdentifier.require("source.dataSource", text(source, "dataSource")));
            s.table = identifier(() -> SqlIdentifier.requireQualified("source.table", text(source, "table")));
            s.keyColumn = identifier(() -> SqlIdentifier.require("source.keyColumn", text(source, "keyColumn")));
        } else if (source.hasNonNull("collection")) {
            if (source.has("table") || source.has("keyColumn")) {
                throw ApiException.badParameter("'source' is one of " + SOURCES + ", not several");
            }
            if (source.hasNonNull("url")) {
                s.url = PeerNodes.requireUrl(source.get("url").asText());
                s.username = text(source, "username");
                s.password = text(source, "password");
            } else if (source.has("username") || source.has("password")) {
                throw ApiException.badParameter("'source.username' and 'source.password' go with 'source.url' (another"
                        + " node's collection); a collection of this node needs none");
            }
            s.collection = CollectionName.requireCollection(text(source, "collection"), "'source.collection'");
            s.database = CollectionName.requireDatabase(text(source, "database"));
        } else {
            throw ApiException.badParameter("'source' needs 'dataSource', 'table' and 'keyColumn' (a SQL table),"
                    + " 'collection' (a collection of this node) or 'url' and 'collection' (another node's collection)");
        }
        s.name = text(root, "name");
        if (s.name == null) {
            s.name = (s.isTable() ? s.table : s.collection) + "-" + STAMP.format(ZonedDateTime.now(ZoneOffset.UTC));
        }
        if (!RestoreSpec.NAME.matcher(s.name).matches() || s.name.contains("..")) {
            throw ApiException.badParameter("'name' must be letters, digits, '.', '_', '-' (starting with a letter or"
                    + " digit, at most 128, no '..'), got '" + ApiException.printable(s.name) + "'");
        }
        s.selection = Selection.parse(root, s.isTable());
        JsonNode compression = root.path("compression");
        if (!compression.isMissingNode() && !compression.isNull()) {
            if (!compression.isTextual()) {
                throw ApiException.badParameter("'compression' must be \"zstd\" or \"gzip\"");
            }
            s.compression = PartitionCompression.named(compression.asText());
            s.compressionLevel = s.compression.defaultLevel;
        }
        JsonNode level = root.path("compressionLevel");
        if (!level.isMissingNode() && !level.isNull()) {
            PartitionCompression c = s.compression;
            if (!level.isIntegralNumber() || level.asInt() < c.minLevel || level.asInt() > c.maxLevel) {
                throw ApiException.badParameter("'compressionLevel' of " + c.shown + " must be an integer from " + c.levels()
                        + ", got " + ApiException.printable(level.toString()));
            }
            s.compressionLevel = level.asInt();
        }
        s.dryRun = RequestFields.flag(root, "dryRun");
        return s;
    }

    private static String identifier(Supplier<String> check) {
        return Selection.identifier(check);
    }

    /**
     * The spec of an online copy's source (docs/collection-sync.md, "Online copy by partition"): what
     * {@link SqlBackupSource} reads, with no backup name.
     */
    public static BackupSpec ofTable(String dataSource, String table, String keyColumn, Selection selection) {
        BackupSpec s = new BackupSpec();
        s.dataSource = dataSource;
        s.table = table;
        s.keyColumn = keyColumn;
        s.name = table;
        s.selection = selection;
        return s;
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

    /** Another node's collection: its URL, as a sync job's node source gives it; null: this node's or a table. */
    public String url() {
        return url;
    }

    public boolean isRemote() {
        return url != null;
    }

    public String username() {
        return username;
    }

    /** For the run only: never shown, stored or written to the manifest. */
    public String password() {
        return password;
    }

    public String name() {
        return name;
    }

    /** The SQL condition as given; null: every row. */
    public String where() {
        return selection.where();
    }

    public String keyFrom() {
        return selection.keyFrom();
    }

    public String keyTo() {
        return selection.keyTo();
    }

    /** A collection's attribute filter; null: none. */
    AttributeRange attributeRange() {
        return selection.attributeRange();
    }

    /** The columns (attributes) to keep; null: all. */
    public List<String> columns() {
        return selection.columns();
    }

    /** none, value, day, month or keys. */
    public String by() {
        return selection.by();
    }

    public String partitionColumn() {
        return selection.partitionColumn();
    }

    public long rowsPerPartition() {
        return selection.rowsPerPartition();
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** How the partition files are compressed. */
    PartitionCompression compression() {
        return compression;
    }

    /** The compression's level (zstd 1 to 19, gzip 0 to 9). */
    public int compressionLevel() {
        return compressionLevel;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ObjectNode source = o.putObject("source");
        if (isTable()) {
            source.put("dataSource", dataSource).put("table", table).put("keyColumn", keyColumn);
        } else {
            if (url != null) {
                source.put("url", url);
            }
            source.put("database", database).put("collection", collection);
            if (username != null) {
                source.put("username", username);
            }
        }
        o.put("name", name);
        selection.write(o);
        return o.put("compression", compression.shown).put("compressionLevel", compressionLevel).put("dryRun", dryRun);
    }

    /** The filter as the manifest records it; null when there is none. */
    JsonNode filterJson() {
        return selection.filterJson();
    }

    public Selection selection() {
        return selection;
    }
}
