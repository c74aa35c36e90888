package io.tributary.central;

import io.tributary.http.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import io.tributary.sql.TransactionRetry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final int BATCH_SIZE = 1000;

    private DataSource dataSource;
    private int maxAttempts = 5;
    /** Keys per {@code SELECT ... FOR UPDATE} of the general write path. */
    private static final int LOCK_CHUNK = 500;

    private volatile Dialect dialect;
    private SourcePositions positions;
    private SourceRegistry sources;
    private final Map<String, String> tables = new ConcurrentHashMap<>();
    private final Map<String, Object> creationLocks = new ConcurrentHashMap<>();
    private final Map<String, CollectionRows> rowShapes = new ConcurrentHashMap<>();
    private volatile Jdbc jdbc;

    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** How often a request that collided with a concurrent one is run again before it fails with 500. */
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    /** Creates the catalog and positions tables at start; if the database is down then, on first use. */
    @Override
    public void start() {
        try {
            dialect();
        } catch (IllegalStateException e) {
            LOG.warn("Central store not ready at start-up, will retry on first request: {}", e.getMessage());
        }
    }

    @Override
    public void stop() {
        // the DataSource is a bean of its own and closed by its owner
    }


    private Dialect dialect() {
        Dialect d = dialect;
        if (d == null) {
            synchronized (this) {
                if (dialect == null) {
                    d = Dialect.of(dataSource);
                    SourcePositions p = new SourcePositions(d);
                    SourceRegistry r = new SourceRegistry(d);
                    try (Connection c = dataSource.getConnection()) {
                        createIdempotently(c, d, "CREATE TABLE IF NOT EXISTS " + CATALOG + " (database_name " + d.asciiKeyType(64)
                                + " NOT NULL, collection_name " + d.asciiKeyType(256) + " NOT NULL, table_name "
                                + d.asciiKeyType(63) + " NOT NULL UNIQUE, created_at TIMESTAMP NOT NULL,"
                                + " PRIMARY KEY (database_name, collection_name))" + d.tableOptions());
                        p.createTable(c);
                        r.createTable(c);
                    } catch (SQLException e) {
                        throw new IllegalStateException("Cannot create the central catalog tables: " + e.getMessage(), e);
                    }
                    positions = p;
                    sources = r;
                    dialect = d;
                }
                d = dialect;
            }
        }
        return d;
    }

    // ---- collections -------------------------------------------------------------------------

    /** The table of a collection; created when {@code create} is set, else 404 if it does not exist. */
    String table(String database, String collection, boolean create) {
        Dialect d = dialect();
        String id = database + "/" + collection;
        String table = tables.get(id);
        if (table != null) {
            return table;
        }
        try (Connection c = dataSource.getConnection()) {
            table = lookup(c, database, collection);
            if (table == null && create) {
                // one creator per collection in this node; other nodes are handled by create() itself
                synchronized (creationLocks.computeIfAbsent(id, k -> new Object())) {
                    table = lookup(c, database, collection);
                    if (table == null) {
                        table = create(c, d, database, collection);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot look up collection: " + e.getMessage(), e);
        }
        if (table == null) {
            throw new ApiException(404, ApiException.COLLECTION_NOT_FOUND, "collection or view not found: " + collection);
        }
        tables.put(id, table);
        return table;
    }

    private String lookup(Connection c, String database, String collection) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM " + CATALOG
                + " WHERE database_name = ? AND collection_name = ?")) {
            ps.setString(1, database);
            ps.setString(2, collection);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** DDL runs in its own auto-committed statements: MariaDB would otherwise commit the import early. */
    private String create(Connection c, Dialect d, String database, String collection) throws SQLException {
        String table = tableName(database, collection);
        createIdempotently(c, d, createTableSql(d, table));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + CATALOG
                + " (database_name, collection_name, table_name, created_at) VALUES (?, ?, ?, " + d.localTimestamp() + ")")) {
            ps.setString(1, database);
            ps.setString(2, collection);
            ps.setString(3, table);
            ps.executeUpdate();
            LOG.info("Created collection {} in database {} as table {}", collection, database, table);
        } catch (SQLException e) {
            if (!d.isUniqueViolation(e)) {
                throw e;
            }
            // created concurrently by another request: use what it registered
            table = lookup(c, database, collection);
        }
        return table;
    }

    /**
     * Runs a {@code CREATE TABLE IF NOT EXISTS} that a concurrent creator (another node, another
     * connection) may race: PostgreSQL then fails with a unique violation on its type catalog
     * ({@code pg_type_typname_nsp_index}) or "already exists". Run again, the statement finds the table.
     */
    static void createIdempotently(Connection c, Dialect d, String ddl) throws SQLException {
        new TransactionRetry(3, d::isConcurrentCreation, 0).run(ddl, () -> {
            try (Statement s = c.createStatement()) {
                return s.execute(ddl);
            }
        });
    }

    /** The DDL of a collection table; collection sync builds its staging tables with it too. */
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
        return new JdbcStoredCollection(j, table, rowShapes.computeIfAbsent(table, t -> CollectionRows.of(j, t)));
    }

    @Override
    public boolean keepsCollectionIn(DataSource other, String table, String database, String collection) {
        int dot = table.indexOf('.');
        return other == dataSource && tableName(database, collection).equalsIgnoreCase(table.substring(dot + 1));
    }

    /** For tables of other features beside the collections (the sync job table). */
    public DataSource dataSource() {
        return dataSource;
    }

    private Jdbc jdbc() {
        Jdbc j = jdbc;
        if (j == null) {
            j = new Jdbc(dataSource, maxAttempts);
            jdbc = j;
        }
        return j;
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
        Dialect d = dialect();
        if (position != null) {
            // before the collection is created: a refused request leaves nothing behind
            withConnection(c -> {
                sources.requireOwnKeys(c, position.source(), database, request.collection(), body.items());
                return null;
            });
        }
        String table = d.quote(table(database, request.collection(), request.createCollection()));
        try {
            return new TransactionRetry(maxAttempts, d::isTransient, 20)
                    .run("import into " + request.collection(), () -> importOnce(d, table, request, body, position));
        } catch (SQLException e) {
            if (d.refusesCharacter(e)) {
                throw ApiException.badParameter("a document holds a character that the central database cannot store"
                        + " (PostgreSQL's jsonb refuses \\u0000): " + e.getMessage() + "; nothing was imported");
            }
            throw new IllegalStateException("Import into " + request.collection() + " failed: " + e.getMessage(), e);
        }
    }

    private ImportResult importOnce(Dialect d, String table, ImportRequest request, ImportBody body,
                                    SourcePosition position) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                String sender = position == null ? null : position.source();
                ImportResult result = write(c, d, table, request, body, sender);
                if (request.complete() && result.errors > 0) {
                    c.rollback();
                    ImportItem failure = result.firstFailure;
                    int status = failure.errorNum() == ApiException.UNIQUE_CONSTRAINT_VIOLATED
                            || failure.errorNum() == ApiException.CONFLICT ? 409 : 400;
                    throw new ApiException(status, failure.errorNum(), failure.error()
                            + " (complete=true: nothing was imported)");
                }
                // a batch with errors is not applied in full, so its source position must not advance
                if (position != null && result.errors == 0) {
                    positions.advance(c, position);
                }
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private ImportResult write(Connection c, Dialect d, String table, ImportRequest request, ImportBody body,
                               String sender) throws SQLException {
        ImportResult result = new ImportResult();
        result.empty = body.empty();
        if (request.overwrite()) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM " + table);
            }
        }
        if (d == Dialect.POSTGRESQL && !request.overwrite() && request.onDuplicate() == ImportRequest.OnDuplicate.REPLACE
                && allValidAndDistinct(body)) {
            return mergeOnPostgres(c, d, table, request, body, result, sender);
        }
        boolean needDocuments = request.onDuplicate() == ImportRequest.OnDuplicate.UPDATE;
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (ImportItem item : body.items()) {
            if (item.isValid()) {
                keys.add(item.key());
            }
        }
        Map<String, Current> current = lock(c, d, table, new ArrayList<>(keys), needDocuments);
        if (!needDocuments && request.versionAttribute() != null && request.onDuplicate() == ImportRequest.OnDuplicate.REPLACE) {
            loadTiedDocuments(c, d, table, body, request.versionAttribute(), current);
        }
        Map<String, Current> changed = new LinkedHashMap<>();
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
                changed.put(item.key(), created);
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
                        ObjectNode stored = storedDocument(c, d, table, item.key(), existing);
                        candidate[0] = update ? DocumentJson.merge(stored.deepCopy(), item.document()) : item.document();
                        return DocumentJson.sameContent(stored, candidate[0]);
                    });
                    if (outcome == VersionRule.Outcome.IGNORE) {
                        result.ignored++; // a replayed or out-of-order write never overwrites a newer version
                        continue;
                    }
                    if (outcome == VersionRule.Outcome.CONFLICT) {
                        result.fail(conflict(item, storedDocument(c, d, table, item.key(), existing), sender));
                        continue;
                    }
                    ObjectNode document = candidate[0] != null ? candidate[0] : update
                            ? DocumentJson.merge(storedDocument(c, d, table, item.key(), existing).deepCopy(), item.document())
                            : item.document();
                    BigInteger version = DocumentJson.version(document, versionAttribute);
                    Current next = new Current(document, version, existing.stored());
                    current.put(item.key(), next);
                    changed.put(item.key(), next);
                    result.updated++;
                }
            }
        }
        if (request.complete() && result.errors > 0) {
            return result;
        }
        store(c, d, table, changed);
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

    /** Separates the documents of one merge; JSON text cannot contain it unescaped. */
    private static final char DOCUMENT_SEPARATOR = '\u001e';

    /**
     * The common case of a source's batch (replace, distinct valid keys) as ONE set-based statement:
     * keys and versions travel as bound arrays and the documents as one text, each one's JSON as
     * received (no tree written back) and cut apart by the server, and the versioned upsert never
     * overwrites a newer or equal version. The lock-then-decide path costs a keyed SELECT per chunk
     * plus one write per row, and its cached generic plan can degrade to sequential scans while a new
     * table grows. Keys are merged in sorted order so concurrent requests lock rows in the same order.
     * {@code xmax = 0} marks a freshly inserted row; rows the version check skipped are not returned.
     */
    private ImportResult mergeOnPostgres(Connection c, Dialect d, String table, ImportRequest request, ImportBody body,
                                         ImportResult result, String sender) throws SQLException {
        List<ImportItem> items = body.items();
        String[] keys = new String[items.size()];
        BigDecimal[] versions = new BigDecimal[items.size()];
        StringBuilder documents = new StringBuilder(items.size() * 512);
        for (int i = 0; i < items.size(); i++) {
            ImportItem item = items.get(i);
            keys[i] = item.key();
            versions[i] = DocumentJson.column(item.version(request.versionAttribute()));
            if (i > 0) {
                documents.append(DOCUMENT_SEPARATOR);
            }
            documents.append(item.raw() != null ? item.raw() : text(item.document()));
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
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", keys));
            ps.setArray(2, c.createArrayOf("numeric", versions));
            ps.setString(3, documents.toString());
            java.util.Set<String> written = new java.util.HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    written.add(rs.getString(1));
                    if (rs.getBoolean(2)) {
                        result.created++;
                    } else {
                        result.updated++;
                    }
                }
            }
            if (written.size() < items.size()) {
                judgeSkipped(c, d, table, request, items, written, result, sender);
            }
        }
        return result;
    }

    /**
     * The rows the upsert skipped (the stored version is equal or higher), judged by {@link VersionRule}:
     * their rows are locked by the upsert, so what is read here is what the upsert saw.
     */
    private void judgeSkipped(Connection c, Dialect d, String table, ImportRequest request, List<ImportItem> items,
                              java.util.Set<String> written, ImportResult result, String sender) throws SQLException {
        List<String> skipped = new ArrayList<>();
        for (ImportItem item : items) {
            if (!written.contains(item.key())) {
                skipped.add(item.key());
            }
        }
        Map<String, Current> stored = read(c, d, table, skipped, true, false);
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
    private void loadTiedDocuments(Connection c, Dialect d, String table, ImportBody body, String versionAttribute,
                                   Map<String, Current> current) throws SQLException {
        List<String> tied = new ArrayList<>();
        for (ImportItem item : body.items()) {
            Current row = item.isValid() ? current.get(item.key()) : null;
            BigInteger incoming = row == null || row.version() == null ? null : item.version(versionAttribute);
            if (incoming != null && incoming.equals(row.version()) && !tied.contains(item.key())) {
                tied.add(item.key());
            }
        }
        if (!tied.isEmpty()) {
            current.putAll(read(c, d, table, tied, true, false));
        }
    }

    /** The stored document of a locked row, read now if the lock did not read it. */
    private ObjectNode storedDocument(Connection c, Dialect d, String table, String key, Current existing) {
        if (existing.document() != null) {
            return existing.document();
        }
        try {
            Current row = read(c, d, table, List.of(key), true, false).get(key);
            if (row == null) {
                throw new IllegalStateException("locked row '" + key + "' vanished");
            }
            return row.document();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the stored document '" + key + "': " + e.getMessage(), e);
        }
    }

    /** A per-document error naming the key, the version and both sources when known. */
    private static ImportItem conflict(ImportItem item, ObjectNode stored, String sender) {
        String storedSource = stored != null && stored.path("_source").isTextual() ? stored.get("_source").asText() : null;
        ObjectNode incoming = item.document();
        String incomingSource = incoming.path("_source").isTextual() ? incoming.get("_source").asText() : sender;
        String sources = storedSource == null && incomingSource == null ? ""
                : " (stored from source '" + ApiException.printable(String.valueOf(storedSource)) + "', sent by source '"
                        + ApiException.printable(String.valueOf(incomingSource)) + "')";
        return ImportItem.failed(item.position(), ApiException.CONFLICT, "conflict: document '" + item.key()
                + "' has the same version as the stored one but different content" + sources
                + "; an equal version is acknowledged only for identical content, so it was not written");
    }

    /** The stored rows for these keys, locked until commit, read in chunks of {@code LOCK_CHUNK}. */
    private Map<String, Current> lock(Connection c, Dialect d, String table, List<String> keys, boolean withDocuments)
            throws SQLException {
        return read(c, d, table, keys, withDocuments, true);
    }

    private Map<String, Current> read(Connection c, Dialect d, String table, List<String> keys, boolean withDocuments,
                                      boolean forUpdate) throws SQLException {
        Map<String, Current> found = new HashMap<>();
        for (int from = 0; from < keys.size(); from += LOCK_CHUNK) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + LOCK_CHUNK));
            String sql = "SELECT " + d.quote("_key") + ", " + d.quote("_version")
                    + (withDocuments ? ", " + d.quote("doc") : "") + " FROM " + table + " WHERE " + d.quote("_key")
                    + " IN (" + "?,".repeat(chunk.size() - 1) + "?)" + (forUpdate ? " FOR UPDATE" : "");
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        BigDecimal version = rs.getBigDecimal(2);
                        ObjectNode document = withDocuments ? parseStored(rs.getString(3)) : null;
                        found.put(rs.getString(1), new Current(document, version == null ? null : version.toBigInteger(), true));
                    }
                }
            }
        }
        return found;
    }

    private void store(Connection c, Dialect d, String table, Map<String, Current> changed) throws SQLException {
        String key = d.quote("_key");
        String version = d.quote("_version");
        String doc = d.quote("doc");
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (" + key + ", " + version + ", "
                + doc + ") VALUES (?, ?, " + d.jsonParameter() + ")");
             PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET " + version + " = ?, " + doc + " = "
                     + d.jsonParameter() + " WHERE " + key + " = ?")) {
            int inserts = 0;
            int updates = 0;
            for (Map.Entry<String, Current> e : changed.entrySet()) {
                Current row = e.getValue();
                String json = text(row.document());
                if (row.stored()) {
                    update.setBigDecimal(1, DocumentJson.column(row.version()));
                    update.setString(2, json);
                    update.setString(3, e.getKey());
                    update.addBatch();
                    if (++updates % BATCH_SIZE == 0) {
                        update.executeBatch();
                    }
                } else {
                    insert.setString(1, e.getKey());
                    insert.setBigDecimal(2, DocumentJson.column(row.version()));
                    insert.setString(3, json);
                    insert.addBatch();
                    if (++inserts % BATCH_SIZE == 0) {
                        insert.executeBatch();
                    }
                }
            }
            if (inserts % BATCH_SIZE != 0) {
                insert.executeBatch();
            }
            if (updates % BATCH_SIZE != 0) {
                update.executeBatch();
            }
        }
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
        String table = dialect().quote(table(database, collection, false));
        return query("SELECT COUNT(*) FROM " + table, null, rs -> rs.next() ? rs.getLong(1) : 0L);
    }

    /** The collections of a database, by name. */
    public List<String> collections(String database) {
        dialect();
        return query("SELECT collection_name FROM " + CATALOG + " WHERE database_name = ? ORDER BY collection_name", database,
                rs -> {
                    List<String> names = new ArrayList<>();
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                    return names;
                });
    }

    /** 404 (errorNum 1203) unless the collection exists. */
    public void requireCollection(String database, String collection) {
        table(database, collection, false);
    }

    /** Creates the collection's table; false if the collection existed already. */
    public boolean createCollection(String database, String collection) {
        dialect();
        if (withConnection(c -> lookup(c, database, collection)) != null) {
            return false;
        }
        table(database, collection, true);
        return true;
    }

    /** The stored documents of those keys that exist. */
    public Map<String, ObjectNode> documents(String database, String collection, List<String> keys) {
        Dialect d = dialect();
        String table = d.quote(table(database, collection, false));
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
        Map<String, ObjectNode> found = new HashMap<>();
        withConnection(c -> {
            read(c, d, table, distinct, true, false).forEach((key, row) -> found.put(key, row.document()));
            return null;
        });
        return found;
    }

    /** Deletes one document in its own transaction; the deleted document, or empty if there was none. */
    public Optional<ObjectNode> remove(String database, String collection, String key) {
        Dialect d = dialect();
        String table = d.quote(table(database, collection, false));
        return withConnection(c -> {
            c.setAutoCommit(false);
            try {
                Current row = lock(c, d, table, List.of(key), true).get(key);
                if (row != null) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + d.quote("_key") + " = ?")) {
                        ps.setString(1, key);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                return Optional.ofNullable(row == null ? null : row.document());
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    public List<SourcePosition> positions() {
        dialect();
        return withConnection(c -> positions.all(c));
    }

    public Optional<SourcePosition> position(String source) {
        dialect();
        return withConnection(c -> positions.find(c, source));
    }

    // ---- source registry ---------------------------------------------------------------------

    /** Registers or confirms a source; 409 on a foreign fingerprint or a colliding key prefix. */
    public synchronized SourceRegistry.Outcome register(SourceRegistration registration) {
        dialect();
        return withConnection(c -> {
            c.setAutoCommit(false);
            try {
                SourceRegistry.Outcome outcome = sources.register(c, registration);
                c.commit();
                if (outcome != SourceRegistry.Outcome.UNCHANGED) {
                    LOG.info("Source {} {}: {}", registration.source(), outcome.name().toLowerCase(Locale.ROOT),
                            registration.describe());
                }
                return outcome;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    public synchronized boolean deregister(String source) {
        dialect();
        boolean deleted = withConnection(c -> sources.delete(c, source));
        if (deleted) {
            LOG.info("Source {} deregistered", source);
        }
        return deleted;
    }

    public List<SourceRegistration> sources() {
        dialect();
        return withConnection(c -> sources.all(c));
    }

    public Optional<SourceRegistration> source(String source) {
        dialect();
        return withConnection(c -> sources.find(c, source, false));
    }

    private interface ResultReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private interface ConnectionWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T query(String sql, String parameter, ResultReader<T> reader) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (parameter != null) {
                    ps.setString(1, parameter);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return reader.read(rs);
                }
            }
        });
    }

    private <T> T withConnection(ConnectionWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("Central store query failed: " + e.getMessage(), e);
        }
    }
}
