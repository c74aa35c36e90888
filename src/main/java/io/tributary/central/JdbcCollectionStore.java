package io.tributary.central;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.json.Json;
import io.tributary.log.ChangeLog;
import io.tributary.log.LogChange;
import io.tributary.log.LogEntry;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.transaction.TransactionException;

/**
 * Collections as tables, through JDBC. A catalog table maps (database, collection) to a derived table
 * name, because collection names (up to 256 characters, case-sensitive) do not fit every database's
 * identifier rules. Each collection table holds {@code _key}, {@code _version} and the document.
 *
 * <p>One import is one transaction: lock the rows of the request's keys, decide every document in
 * Java, then write in JDBC batches. A conflict with a concurrent transaction retries the whole request.
 */
public class JdbcCollectionStore implements CollectionStore, Service {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcCollectionStore.class);
    static final String CATALOG = "tributary_collections";

    private DataSource dataSource;
    private int maxAttempts = 5;
    private ChangeLog changeLog;

    /** Set once the catalog tables exist. */
    private volatile Jdbc jdbc;
    private static final int REACHABLE_SECONDS = 2;
    private SourcePositions positions;
    private SourceRegistry sources;
    private FollowerPositions followers;
    private final Map<String, String> tables = new ConcurrentHashMap<>();
    private final Map<String, Object> creationLocks = new ConcurrentHashMap<>();
    private final Map<String, CollectionRows> rowShapes = new ConcurrentHashMap<>();
    /** Every route using the import endpoint starts the store: one try at start-up, not one per route. */
    private final AtomicBoolean startTried = new AtomicBoolean();

    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The change log every write records its changed rows in; one on the same DataSource when not set. */
    public void setChangeLog(ChangeLog changeLog) {
        this.changeLog = changeLog;
    }

    @Override
    public ChangeLog changeLog() {
        jdbc();
        return changeLog;
    }

    /** How often a request that collided with a concurrent one is run again before it fails with 500. */
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    /** Creates the catalog and positions tables at start; if the database is down then, on first use. */
    @Override
    public void start() {
        if (!startTried.compareAndSet(false, true)) {
            return;
        }
        try {
            jdbc();
        } catch (IllegalStateException e) {
            LOG.warn("Central store not ready at start-up, will retry on first request: {}", e.getMessage());
        }
    }

    @Override
    public void stop() {
        // the DataSource is a bean of its own and closed by its owner
    }


    /** The central database, its catalog tables created on first use. */
    private Jdbc jdbc() {
        Jdbc j = jdbc;
        if (j == null) {
            synchronized (this) {
                if (jdbc == null) {
                    Jdbc created = new Jdbc(dataSource, maxAttempts);
                    Dialect d = created.dialect();
                    try {
                        created.create("CREATE TABLE IF NOT EXISTS " + CATALOG + " (database_name " + d.asciiKeyType(64)
                                + " NOT NULL, collection_name " + d.asciiKeyType(256) + " NOT NULL, table_name "
                                + d.asciiKeyType(63) + " NOT NULL UNIQUE, created_at TIMESTAMP NOT NULL,"
                                + " PRIMARY KEY (database_name, collection_name))" + d.tableOptions());
                        positions = new SourcePositions(created);
                        sources = new SourceRegistry(created);
                        followers = new FollowerPositions(created);
                        positions.createTable();
                        sources.createTable();
                        followers.createTable();
                        if (changeLog == null) {
                            ChangeLog log = new ChangeLog();
                            log.setDataSource(dataSource);
                            changeLog = log;
                        }
                        changeLog.start();
                    } catch (DataAccessException e) {
                        throw new IllegalStateException("Cannot create the central catalog tables: " + Jdbc.reason(e), e);
                    }
                    jdbc = created;
                }
                j = jdbc;
            }
        }
        return j;
    }

    @Override
    public void checkReachable() {
        try {
            Boolean valid = jdbc().template().execute((ConnectionCallback<Boolean>) c -> c.isValid(REACHABLE_SECONDS));
            if (!Boolean.TRUE.equals(valid)) {
                throw new IllegalStateException("the central database did not answer within " + REACHABLE_SECONDS + " s");
            }
        } catch (DataAccessException e) {
            throw new IllegalStateException("cannot reach the central database: " + Jdbc.reason(e), e);
        }
    }

    // ---- collections -------------------------------------------------------------------------

    /** The table of a collection; created when {@code create} is set, else 404 if it does not exist. */
    String table(String database, String collection, boolean create) {
        jdbc();
        String id = database + "/" + collection;
        String table = tables.get(id);
        if (table != null) {
            return table;
        }
        try {
            table = lookup(database, collection);
            if (table == null && create) {
                // one creator per collection in this node; other nodes are handled by create() itself
                synchronized (creationLocks.computeIfAbsent(id, k -> new Object())) {
                    table = lookup(database, collection);
                    if (table == null) {
                        table = create(database, collection);
                    }
                }
            }
        } catch (DataAccessException e) {
            throw new IllegalStateException("Cannot look up collection: " + Jdbc.reason(e), e);
        }
        if (table == null) {
            throw new ApiException(404, ApiException.COLLECTION_NOT_FOUND, "collection or view not found: " + collection);
        }
        tables.put(id, table);
        return table;
    }

    private String lookup(String database, String collection) {
        return jdbc().template().query("SELECT table_name FROM " + CATALOG + " WHERE database_name = ? AND collection_name = ?",
                rs -> rs.next() ? rs.getString(1) : null, database, collection);
    }

    /** DDL runs in its own auto-committed statements: MariaDB would otherwise commit the import early. */
    private String create(String database, String collection) {
        Jdbc j = jdbc();
        Dialect d = j.dialect();
        String table = tableName(database, collection);
        j.create(createTableSql(d, table));
        try {
            j.template().update("INSERT INTO " + CATALOG + " (database_name, collection_name, table_name, created_at)"
                    + " VALUES (?, ?, ?, " + d.localTimestamp() + ")", database, collection, table);
            LOG.info("Created collection {} in database {} as table {}", collection, database, table);
            return table;
        } catch (DuplicateKeyException e) {
            return lookup(database, collection); // created concurrently by another request: use what it registered
        }
    }

    /** The DDL of a collection table, and of its staging table (the benchmark creates tables with it). */
    public static String createTableSql(Dialect d, String table) {
        return "CREATE TABLE IF NOT EXISTS " + d.quote(table) + " (" + d.quote("_key") + " " + d.asciiKeyType(254)
                + " NOT NULL PRIMARY KEY, " + d.quote("_version") + " DECIMAL(38,0), " + d.quote("doc") + " "
                + d.jsonType() + " NOT NULL)" + d.tableOptions();
    }

    @Override
    public StoredCollection collection(String database, String collection, boolean create) {
        String table = table(database, collection, create);
        Jdbc j = jdbc();
        // the key order of a table is looked up once: its collation does not change
        return new JdbcStoredCollection(j, table, rowShapes.computeIfAbsent(table, t -> CollectionRows.of(j, t)),
                new CollectionLog(changeLog, database, collection));
    }

    @Override
    public boolean ownsTable(DataSource other, String table) {
        String name = table.substring(table.indexOf('.') + 1).toLowerCase(Locale.ROOT);
        return other == dataSource && (name.matches("tc_[a-z0-9_]*_[0-9a-f]{16}(_sync(_[a-z0-9]{1,8})?)?") || name.equals(CATALOG)
                || name.equals(SourcePositions.TABLE) || name.equals(SourceRegistry.TABLE)
                || name.equals(FollowerPositions.TABLE) || ChangeLog.ownsTable(name));
    }

    /** {@code tc_<readable prefix>_<hash>}: lower-case ASCII, at most 44 characters, valid on every dialect. */
    public static String tableName(String database, String collection) {
        String readable = collection.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        if (readable.length() > 24) {
            readable = readable.substring(0, 24);
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((database + "/" + collection).getBytes(StandardCharsets.UTF_8));
            return "tc_" + readable + "_" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- import ------------------------------------------------------------------------------

    private record Current(ObjectNode document, BigInteger version, boolean stored) {
    }

    public ImportResult importDocuments(String database, ImportRequest request, ImportBody body, SourcePosition position) {
        Dialect d = jdbc().dialect();
        if (position != null) {
            // before the collection is created: a refused request leaves nothing behind
            query(() -> {
                sources.requireOwnKeys(position.source(), database, request.collection(), body.items());
                return null;
            });
        }
        String table = d.quote(table(database, request.collection(), request.createCollection()));
        try {
            return jdbc().transaction("import into " + request.collection(), s -> importOnce(d, database, table, request, body, position));
        } catch (DataAccessException | TransactionException e) {
            SQLException cause = Jdbc.sqlCause(e);
            if (cause != null && d.refusesCharacter(cause)) {
                throw ApiException.badParameter("a document holds a character that the central database cannot store"
                        + " (PostgreSQL's jsonb refuses \\u0000): " + Jdbc.reason(e) + "; nothing was imported");
            }
            throw new IllegalStateException("Import into " + request.collection() + " failed: " + Jdbc.reason(e), e);
        }
    }

    private ImportResult importOnce(Dialect d, String database, String table, ImportRequest request, ImportBody body,
                                    SourcePosition position) {
        CollectionLog log = new CollectionLog(changeLog, database, request.collection());
        ImportResult result = write(d, log, table, request, body, position == null ? null : position.source());
        if (request.complete() && result.errors() > 0) {
            ImportItem failure = result.failures.get(0);
            // thrown inside the transaction: rolled back, nothing is imported
            throw new ApiException(failure.status(), failure.errorNum(), failure.error() + " (complete=true: nothing was imported)");
        }
        if (request.readBack()) {
            List<String> written = body.items().stream().filter(ImportItem::isValid).map(ImportItem::key).distinct().toList();
            read(table, written, true, false).forEach((key, row) -> result.stored.put(key, row.document()));
        }
        // a batch with errors is not applied in full, so its source position must not advance
        if (position != null && result.errors() == 0) {
            positions.advance(position);
        }
        return result;
    }

    private ImportResult write(Dialect d, CollectionLog log, String table, ImportRequest request, ImportBody body,
                               String sender) {
        ImportResult result = new ImportResult();
        result.empty = body.empty();
        if (request.overwrite()) {
            if (log.enabled()) {
                // by key, so the log holds exactly the rows that went (not one a concurrent insert just added)
                List<String> gone = jdbc().template().queryForList("SELECT " + d.quote("_key") + " FROM " + table
                        + " FOR UPDATE", String.class);
                Jdbc.inChunks(gone, chunk -> jdbc().named().update("DELETE FROM " + table + " WHERE " + d.quote("_key")
                        + " IN (:keys)", Map.of("keys", chunk)));
                log.deleted(gone);
            } else {
                jdbc().template().update("DELETE FROM " + table);
            }
        }
        if (d == Dialect.POSTGRESQL && !request.overwrite() && request.onDuplicate() == ImportRequest.OnDuplicate.REPLACE
                && allValidAndDistinct(body)) {
            return mergeOnPostgres(log, table, request, body, result, sender);
        }
        boolean needDocuments = request.onDuplicate() == ImportRequest.OnDuplicate.UPDATE;
        List<String> keys = body.items().stream().filter(ImportItem::isValid).map(ImportItem::key).distinct().toList();
        Map<String, Current> current = read(table, keys, needDocuments, true);
        if (!needDocuments && request.versionAttribute() != null && request.onDuplicate() == ImportRequest.OnDuplicate.REPLACE) {
            loadTiedDocuments(table, body, request.versionAttribute(), current);
        }
        Map<String, Current> inserts = new LinkedHashMap<>();
        Map<String, Current> updates = new LinkedHashMap<>();
        String versionAttribute = request.versionAttribute();
        for (ImportItem item : body.items()) {
            if (!item.isValid()) {
                result.fail(item);
                continue;
            }
            Current existing = current.get(item.key());
            if (existing == null) {
                Current created = new Current(item.document(), item.version(versionAttribute), false);
                current.put(item.key(), created);
                inserts.put(item.key(), created);
                result.created++;
                continue;
            }
            switch (request.onDuplicate()) {
                case ERROR -> result.fail(ImportItem.failed(item.position(), ApiException.UNIQUE_CONSTRAINT_VIOLATED,
                        "creating document failed with error 'unique constraint violated', offending document: "
                                + ImportBody.context(item.document())));
                case IGNORE -> result.ignored++;
                default -> {
                    boolean update = request.onDuplicate() == ImportRequest.OnDuplicate.UPDATE;
                    ObjectNode[] candidate = new ObjectNode[1];
                    VersionRule.Outcome outcome = VersionRule.decide(existing.version(), item.version(versionAttribute), () -> {
                        ObjectNode stored = storedDocument(table, item.key(), existing);
                        candidate[0] = update ? DocumentJson.merge(stored.deepCopy(), item.document()) : item.document();
                        return DocumentJson.sameContent(stored, candidate[0]);
                    });
                    if (outcome == VersionRule.Outcome.IGNORE) {
                        result.ignored++; // a replayed or out-of-order write never overwrites a newer version
                        continue;
                    }
                    if (outcome == VersionRule.Outcome.CONFLICT) {
                        result.fail(conflict(item, storedDocument(table, item.key(), existing), sender));
                        continue;
                    }
                    ObjectNode document = candidate[0] != null ? candidate[0] : update
                            ? DocumentJson.merge(storedDocument(table, item.key(), existing).deepCopy(), item.document())
                            : item.document();
                    BigInteger version = DocumentJson.version(document, versionAttribute);
                    Current next = new Current(document, version, existing.stored());
                    current.put(item.key(), next);
                    (existing.stored() ? updates : inserts).put(item.key(), next);
                    result.updated++;
                }
            }
        }
        if (request.complete() && result.errors() > 0) {
            return result;
        }
        Map<String, String> inserted = store(table, false, inserts);
        Map<String, String> updated = store(table, true, updates);
        if (log.enabled()) {
            List<LogChange> changes = new ArrayList<>(inserted.size() + updated.size());
            inserts.forEach((key, row) -> changes.add(log.put(key, row.version(), inserted.get(key))));
            updates.forEach((key, row) -> changes.add(log.put(key, row.version(), updated.get(key))));
            log.record(changes);
        }
        return result;
    }

    private static boolean allValidAndDistinct(ImportBody body) {
        java.util.HashSet<String> keys = new java.util.HashSet<>();
        for (ImportItem item : body.items()) {
            if (!item.isValid() || !keys.add(item.key())) {
                return false;
            }
        }
        return true;
    }

    /** Cuts a run of JSON documents sent as one text (chr(30) on the server): JSON text never holds it unescaped. */
    static final char DOCUMENT_SEPARATOR = '\u001e';

    /**
     * The common case of a source's batch (replace, distinct valid keys) as ONE set-based statement:
     * keys and versions travel as bound arrays and the documents as one text, each one's JSON as
     * received (no tree written back) and cut apart by the server, and the versioned upsert never
     * overwrites a newer or equal version. The lock-then-decide path costs a keyed SELECT per chunk
     * plus one write per row, and its cached generic plan can degrade to sequential scans while a new
     * table grows. Keys are merged in sorted order so concurrent requests lock rows in the same order.
     * {@code xmax = 0} marks a freshly inserted row; rows the version check skipped are not returned.
     */
    private ImportResult mergeOnPostgres(CollectionLog log, String table, ImportRequest request, ImportBody body,
                                         ImportResult result, String sender) {
        List<ImportItem> items = body.items();
        String[] keys = new String[items.size()];
        BigDecimal[] versions = new BigDecimal[items.size()];
        String[] texts = new String[items.size()];
        StringBuilder documents = new StringBuilder(items.size() * 512);
        for (int i = 0; i < items.size(); i++) {
            ImportItem item = items.get(i);
            keys[i] = item.key();
            versions[i] = DocumentJson.column(item.version(request.versionAttribute()));
            if (i > 0) {
                documents.append(DOCUMENT_SEPARATOR);
            }
            texts[i] = item.raw() != null ? item.raw() : text(item.document());
            documents.append(texts[i]);
        }
        // The documents travel as one text cut at a control character that JSON text cannot contain (the
        // parser rejected any raw one; were a piece ever cut wrong, ::jsonb or the NOT NULL key would fail
        // the statement, nothing is stored half), and each piece is parsed into jsonb once: in psql this cost 15-20 % less than one JSON array taken
        // apart by jsonb_array_elements (which parses the whole array, then copies every element out),
        // and much less than a text[] literal that the driver escapes character by character.
        String sql = "INSERT INTO " + table + " AS t (\"_key\", \"_version\", doc)"
                + " SELECT s.k, s.v, s.d::jsonb"
                + " FROM unnest(?::text[], ?::numeric[], string_to_array(?, chr(30))) AS s(k, v, d)"
                + " ORDER BY s.k COLLATE \"C\""
                + " ON CONFLICT (\"_key\") DO UPDATE SET \"_version\" = EXCLUDED.\"_version\", doc = EXCLUDED.doc"
                + " WHERE " + VersionRule.writesUnseen("EXCLUDED.\"_version\"", "t.\"_version\"")
                + " RETURNING \"_key\", (t.xmax = 0)";
        java.util.Set<String> written = jdbc().template().execute((ConnectionCallback<java.util.Set<String>>) c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(0); // every returned row in the statement's one round trip, not by cursor
                ps.setArray(1, c.createArrayOf("text", keys));
                ps.setArray(2, c.createArrayOf("numeric", versions));
                ps.setString(3, documents.toString());
                java.util.Set<String> keysWritten = new java.util.HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keysWritten.add(rs.getString(1));
                        if (rs.getBoolean(2)) {
                            result.created++;
                        } else {
                            result.updated++;
                        }
                    }
                }
                return keysWritten;
            }
        });
        if (written.size() < items.size()) {
            judgeSkipped(table, request, items, written, result, sender);
        }
        if (log.enabled()) {
            List<LogChange> changes = new ArrayList<>(written.size());
            for (int i = 0; i < items.size(); i++) {
                if (written.contains(keys[i])) {
                    changes.add(log.put(keys[i], items.get(i).version(request.versionAttribute()), texts[i]));
                }
            }
            log.record(changes);
        }
        return result;
    }

    /**
     * The rows the upsert skipped (the stored version is equal or higher), judged by {@link VersionRule}:
     * their rows are locked by the upsert, so what is read here is what the upsert saw.
     */
    private void judgeSkipped(String table, ImportRequest request, List<ImportItem> items, java.util.Set<String> written,
                              ImportResult result, String sender) {
        List<String> skipped = items.stream().map(ImportItem::key).filter(k -> !written.contains(k)).toList();
        Map<String, Current> stored = read(table, skipped, true, false);
        for (ImportItem item : items) {
            if (written.contains(item.key())) {
                continue;
            }
            Current row = stored.get(item.key());
            VersionRule.Outcome outcome = row == null ? VersionRule.Outcome.WRITE
                    : VersionRule.decide(row.version(), item.version(request.versionAttribute()),
                            () -> DocumentJson.sameContent(row.document(), item.document()));
            switch (outcome) {
                case IGNORE -> result.ignored++;
                case CONFLICT -> result.fail(conflict(item, row.document(), sender));
                default -> throw new IllegalStateException("the upsert skipped document '" + item.key()
                        + "' that the version rule would write");
            }
        }
    }

    /** Loads the stored documents of keys whose incoming version equals the stored one, for the tie rule. */
    private void loadTiedDocuments(String table, ImportBody body, String versionAttribute, Map<String, Current> current) {
        List<String> tied = new ArrayList<>();
        for (ImportItem item : body.items()) {
            Current row = item.isValid() ? current.get(item.key()) : null;
            BigInteger incoming = row == null || row.version() == null ? null : item.version(versionAttribute);
            if (incoming != null && incoming.equals(row.version()) && !tied.contains(item.key())) {
                tied.add(item.key());
            }
        }
        if (!tied.isEmpty()) {
            current.putAll(read(table, tied, true, false));
        }
    }

    /** The stored document of a locked row, read now if the lock did not read it. */
    private ObjectNode storedDocument(String table, String key, Current existing) {
        if (existing.document() != null) {
            return existing.document();
        }
        Current row = read(table, List.of(key), true, false).get(key);
        if (row == null) {
            throw new IllegalStateException("locked row '" + key + "' vanished");
        }
        return row.document();
    }

    /** A per-document error naming the key, the version and both sources when known. */
    private static ImportItem conflict(ImportItem item, ObjectNode stored, String sender) {
        String storedSource = stored != null && stored.path("_source").isTextual() ? stored.get("_source").asText() : null;
        ObjectNode incoming = item.document();
        String incomingSource = incoming.path("_source").isTextual() ? incoming.get("_source").asText() : sender;
        String sources = storedSource == null && incomingSource == null ? ""
                : " (stored " + (storedSource == null ? "without a source" : "from source '" + ApiException.printable(storedSource) + "'")
                        + ", sent " + (incomingSource == null ? "without a source" : "by source '" + ApiException.printable(incomingSource) + "'")
                        + ")";
        return ImportItem.failed(item.position(), ApiException.CONFLICT, "conflict: document '" + item.key()
                + "' has the same version as the stored one but different content" + sources
                + "; an equal version is acknowledged only for identical content, so it was not written");
    }

    /** The stored rows of these keys, locked until commit when {@code forUpdate}. */
    private Map<String, Current> read(String table, List<String> keys, boolean withDocuments, boolean forUpdate) {
        Dialect d = jdbc().dialect();
        String sql = "SELECT " + d.quote("_key") + ", " + d.quote("_version") + (withDocuments ? ", " + d.quote("doc") : "")
                + " FROM " + table + " WHERE " + d.quote("_key") + " IN (:keys)" + (forUpdate ? " FOR UPDATE" : "");
        Map<String, Current> found = new HashMap<>();
        Jdbc.inChunks(keys, chunk -> jdbc().named().query(sql, Map.of("keys", chunk), rs -> {
            BigDecimal version = rs.getBigDecimal(2);
            ObjectNode document = withDocuments ? parseStored(rs.getString(3)) : null;
            found.put(rs.getString(1), new Current(document, version == null ? null : version.toBigInteger(), true));
        }));
        return found;
    }

    /** New rows ({@code update} false) or stored ones, as the import decided them; the JSON text written, by key. */
    private Map<String, String> store(String table, boolean update, Map<String, Current> rows) {
        Map<String, String> texts = new HashMap<>();
        JdbcStoredCollection.store(jdbc(), table, update, rows.entrySet(), Map.Entry::getKey, e -> e.getValue().version(),
                e -> {
                    String text = text(e.getValue().document());
                    texts.put(e.getKey(), text);
                    return text;
                });
        return texts;
    }

    private static String text(ObjectNode document) {
        try {
            return Json.MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode parseStored(String json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("Stored document is not a JSON object: " + e.getMessage(), e);
        }
    }

    // ---- reads -------------------------------------------------------------------------------

    public long count(String database, String collection) {
        String table = jdbc().dialect().quote(table(database, collection, false));
        return query(() -> jdbc().template().queryForObject("SELECT COUNT(*) FROM " + table, Long.class));
    }

    /** The collections of a database, by name. */
    public List<String> collections(String database) {
        return query(() -> jdbc().template().queryForList("SELECT collection_name FROM " + CATALOG
                + " WHERE database_name = ? ORDER BY collection_name", String.class, database));
    }

    /** 404 (errorNum 1203) unless the collection exists. */
    public void requireCollection(String database, String collection) {
        table(database, collection, false);
    }

    /** Creates the collection's table; false if the collection existed already. */
    public boolean createCollection(String database, String collection) {
        if (query(() -> lookup(database, collection)) != null) {
            return false;
        }
        table(database, collection, true);
        return true;
    }

    /** The stored documents of those keys that exist. */
    public Map<String, ObjectNode> documents(String database, String collection, List<String> keys) {
        String table = jdbc().dialect().quote(table(database, collection, false));
        Map<String, ObjectNode> found = new HashMap<>();
        query(() -> read(table, keys.stream().distinct().toList(), true, false))
                .forEach((key, row) -> found.put(key, row.document()));
        return found;
    }

    /** Deletes one document in its own transaction; the deleted document, or empty if there was none. */
    public Optional<ObjectNode> remove(String database, String collection, String key) {
        Jdbc j = jdbc();
        String table = j.dialect().quote(table(database, collection, false));
        return query(() -> j.transaction("the removal of " + key, s -> {
            Current row = read(table, List.of(key), true, true).get(key);
            if (row != null) {
                j.template().update("DELETE FROM " + table + " WHERE " + j.dialect().quote("_key") + " = ?", key);
                new CollectionLog(changeLog, database, collection).deleted(List.of(key));
            }
            return Optional.ofNullable(row == null ? null : row.document());
        }));
    }

    public List<SourcePosition> positions() {
        return query(() -> positions.all());
    }

    public Optional<SourcePosition> position(String source) {
        return query(() -> positions.find(source));
    }

    // ---- source registry ---------------------------------------------------------------------

    /** Registers or confirms a source; 409 on a foreign fingerprint or a colliding key prefix. */
    public synchronized SourceRegistry.Outcome register(SourceRegistration registration) {
        SourceRegistry.Outcome outcome = query(() -> jdbc().transaction("the registration of source "
                + registration.source(), s -> sources.register(registration)));
        if (outcome != SourceRegistry.Outcome.UNCHANGED) {
            LOG.info("Source {} {}: {}", registration.source(), outcome.name().toLowerCase(Locale.ROOT),
                    registration.describe());
        }
        return outcome;
    }

    public synchronized boolean deregister(String source) {
        boolean deleted = query(() -> sources.delete(source));
        if (deleted) {
            LOG.info("Source {} deregistered", source);
        }
        return deleted;
    }

    public List<SourceRegistration> sources() {
        return query(() -> sources.all());
    }

    public Optional<SourceRegistration> source(String source) {
        return query(() -> sources.find(source, false));
    }

    // ---- following another node's log ---------------------------------------------------------

    @Override
    public void beginFollowing(String database, String primaryServerId, String primaryUrl) {
        query(() -> jdbc().transaction("the follower row of " + database, s -> {
            followers.begin(database, primaryServerId, primaryUrl);
            return null;
        }));
    }

    @Override
    public void followerSynced(String database, String primaryServerId, long tick) {
        query(() -> jdbc().transaction("the follower row of " + database, s -> {
            followers.synced(database, primaryServerId, tick);
            return null;
        }));
    }

    /**
     * Collections are created first, each in its own statements (DDL would commit MariaDB's transaction);
     * then one transaction locks the follower row, skips entries at or below the applied tick (a page
     * fetched again after a crash or a retry), writes the rest, records them in this node's own change log
     * and stores {@code lastIncluded}. Of a key written more than once in the page only its last entry is
     * written: the transaction's earlier writes of it would never be seen.
     */
    @Override
    public int applyLog(String database, String primaryServerId, List<LogEntry> entries, long lastIncluded) {
        Map<String, String> collectionTables = new HashMap<>();
        for (LogEntry e : entries) {
            collectionTables.computeIfAbsent(e.collection(), c -> table(database, c, true));
        }
        Jdbc j = jdbc();
        return query(() -> j.transaction("applying the log of " + database, s -> {
            long applied = followers.lockForApply(database, primaryServerId).appliedTick();
            if (lastIncluded <= applied) {
                return 0;
            }
            List<LogEntry> fresh = LogApply.lastPerKey(entries.stream().filter(e -> e.tick() > applied).toList());
            new LogApply(j).write(fresh, collectionTables);
            changeLog.record(database, fresh.stream().map(e -> e.json() == null ? LogChange.delete(e.collection(), e.key())
                    : LogChange.put(e.collection(), e.key(), e.version(), e.json())).toList());
            followers.set(database, lastIncluded);
            return fresh.size();
        }));
    }

    @Override
    public Optional<FollowerPosition> follower(String database) {
        return query(() -> followers.find(database, false));
    }

    @Override
    public List<FollowerPosition> followers() {
        return query(() -> followers.all());
    }

    @Override
    public boolean unfollow(String database) {
        return query(() -> followers.delete(database));
    }

    /** A failed statement as this store's error, with the database's own message; the catalog tables first. */
    private <T> T query(Supplier<T> work) {
        jdbc();
        try {
            return work.get();
        } catch (DataAccessException | TransactionException e) {
            throw new IllegalStateException("Central store query failed: " + Jdbc.reason(e), e);
        }
    }
}
