package io.tributary.sync;

import static io.tributary.http.RequestFields.flag;
import static io.tributary.http.RequestFields.number;
import static io.tributary.http.RequestFields.requireKnown;
import static io.tributary.http.RequestFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.http.CollectionName;
import io.tributary.http.RequestFields;
import io.tributary.json.Json;
import io.tributary.node.PeerNodes;
import io.tributary.offline.Selection;
import io.tributary.sql.SqlIdentifier;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What to sync, validated: the source (a Tributary node's collection, or a SQL table through a DataSource
 * bean), the target collection (always named explicitly: a sync replaces its content) and the options.
 * The password is kept for the run only; {@link #toJson()} leaves it out.
 */
public final class SyncSpec {

    private static final Set<String> FIELDS = Set.of("source", "target", "incremental", "dryRun", "maxWaitSeconds",
            "blocking", "chunkSize", "allowMassDelete", "mirror", "filter", "columns", "partitionBy", "parallel");
    /** The most partitions an online copy copies at once: each holds a connection to both sides and a chunk. */
    static final int MAX_PARALLEL = 16;
    private static final Set<String> SOURCE_FIELDS = Set.of("url", "database", "collection", "username", "password",
            "dataSource", "table", "keyColumn");

    // remote source
    String url;
    String sourceDatabase = CollectionName.SYSTEM_DATABASE;
    String sourceCollection;
    String username;
    String password;
    // SQL source
    String dataSource;
    String table;
    String keyColumn;

    String targetDatabase = CollectionName.SYSTEM_DATABASE;
    String targetCollection;
    boolean incremental;
    boolean dryRun;
    long maxWaitSeconds;
    boolean blocking;
    boolean allowMassDelete;
    /** Incremental only: differing rows are written as the source has them, newer target versions too. */
    boolean mirror;
    int chunkSize = SyncEngine.Sizes.DEFAULT.chunkSize();
    /** The rows, columns and partitions of an online copy by partition; null: a plain sync. */
    Selection selection;
    int parallel = 1;

    public static SyncSpec parse(String json) {
        JsonNode root = RequestFields.object(json, "sync job body", "'source' and 'target'", FIELDS);
        SyncSpec s = new SyncSpec();
        JsonNode source = root.path("source");
        if (!source.isObject()) {
            throw ApiException.badParameter("'source' is required: {url, database, collection, username, password}"
                    + " or {dataSource, table, keyColumn}");
        }
        requireKnown(source, SOURCE_FIELDS, "source.");
        if (source.hasNonNull("url")) {
            s.url = PeerNodes.requireUrl(source.get("url").asText());
            s.sourceDatabase = CollectionName.requireDatabase(text(source, "database"));
            s.sourceCollection = CollectionName.requireCollection(text(source, "collection"), "'source.collection'");
            s.username = text(source, "username");
            s.password = text(source, "password");
        } else if (source.hasNonNull("dataSource")) {
            s.dataSource = identifier(() -> SqlIdentifier.require("source.dataSource", text(source, "dataSource")));
            s.table = identifier(() -> SqlIdentifier.requireQualified("source.table", text(source, "table")));
            s.keyColumn = identifier(() -> SqlIdentifier.require("source.keyColumn", text(source, "keyColumn")));
        } else {
            throw ApiException.badParameter("'source' needs either 'url' (a Tributary node) or 'dataSource' (a SQL table)");
        }
        JsonNode target = root.path("target");
        if (!target.isObject() || !target.hasNonNull("collection")) {
            throw ApiException.badParameter("'target.collection' is required and must be named explicitly:"
                    + " a sync replaces the target collection's content");
        }
        requireKnown(target, Set.of("collection", "database"), "target.");
        s.targetCollection = CollectionName.requireCollection(text(target, "collection"), "'target.collection'");
        s.targetDatabase = CollectionName.requireDatabase(text(target, "database"));
        s.incremental = flag(root, "incremental");
        s.dryRun = flag(root, "dryRun");
        s.blocking = flag(root, "blocking");
        s.allowMassDelete = flag(root, "allowMassDelete");
        s.mirror = flag(root, "mirror");
        if (s.mirror && !s.incremental) {
            throw ApiException.badParameter("'mirror' needs 'incremental': true (a full copy writes by version)");
        }
        s.maxWaitSeconds = number(root, "maxWaitSeconds", 0);
        long chunkSize = number(root, "chunkSize", s.chunkSize);
        if (s.maxWaitSeconds < 0 || chunkSize < 16 || chunkSize > SyncSourceEndpoint.MAX_KEYS) {
            throw ApiException.badParameter("'maxWaitSeconds' must be >= 0 (0: no limit) and 'chunkSize' 16 to "
                    + SyncSourceEndpoint.MAX_KEYS);
        }
        s.chunkSize = (int) chunkSize;
        if (Selection.given(root) || root.has("parallel")) {
            partitioned(root, s);
        }
        return s;
    }

    /** The fields of an online copy by partition (docs/collection-sync.md, "Online copy by partition"). */
    private static void partitioned(JsonNode root, SyncSpec s) {
        if (s.incremental || s.dryRun) {
            throw ApiException.badParameter("'incremental' and 'dryRun' do not go with 'filter', 'columns', 'partitionBy'"
                    + " or 'parallel': an online copy by partition compares each partition as it writes it"
                    + " (a second run reports its rows unchanged); for a dry run, back up with dryRun: true");
        }
        // a node URL source is a collection: its filter is a key and attribute range, its columns attributes
        s.selection = Selection.parse(root, !s.isRemote());
        JsonNode parallel = root.path("parallel");
        if (!parallel.isMissingNode() && (!parallel.canConvertToInt() || !parallel.isIntegralNumber()
                || parallel.asInt() < 1 || parallel.asInt() > MAX_PARALLEL)) {
            throw ApiException.badParameter("'parallel' must be a whole number of partitions copied at once, 1 (the"
                    + " default: one after the other) to " + MAX_PARALLEL);
        }
        s.parallel = parallel.asInt(1);
        String column = s.selection.partitionColumn();
        if (column != null && s.selection.columns() != null
                && s.selection.columns().stream().noneMatch(c -> c.equalsIgnoreCase(column))) {
            throw ApiException.badParameter("'columns' must include the partitionBy.column '" + column + "': the target"
                    + " finds a partition's documents by it");
        }
        String attribute = s.selection.filterAttribute();
        if (attribute != null && s.selection.columns() != null && !s.selection.columns().contains(attribute)) {
            throw ApiException.badParameter("'columns' must include the filter.attribute '" + attribute + "': the target"
                    + " finds the selected documents by it");
        }
    }

    /** Whether this is an online copy by partition rather than a plain sync. */
    public boolean partitioned() {
        return selection != null;
    }

    /** A refused SQL identifier as a 400 with its reason. */
    private static String identifier(Supplier<String> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(e.getMessage());
        }
    }

    public boolean isRemote() {
        return url != null;
    }

    public boolean blocking() {
        return blocking;
    }

    public String targetId() {
        return targetDatabase + "/" + targetCollection;
    }

    /** The job's description as shown and stored: never the password. */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ObjectNode source = o.putObject("source");
        if (isRemote()) {
            source.put("url", url).put("database", sourceDatabase).put("collection", sourceCollection);
            if (username != null) {
                source.put("username", username);
            }
        } else {
            source.put("dataSource", dataSource).put("table", table).put("keyColumn", keyColumn);
        }
        o.putObject("target").put("database", targetDatabase).put("collection", targetCollection);
        o.put("incremental", incremental).put("dryRun", dryRun).put("maxWaitSeconds", maxWaitSeconds)
                .put("allowMassDelete", allowMassDelete);
        if (mirror) {
            o.put("mirror", true);
        }
        if (selection != null) {
            selection.write(o);
            o.put("parallel", parallel);
        }
        return o;
    }
}
