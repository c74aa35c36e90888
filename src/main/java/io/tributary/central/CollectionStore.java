package io.tributary.central;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.log.ChangeLog;
import io.tributary.log.LogEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The central store: collections of versioned documents, and the positions of the sources that write
 * into them. The only code that knows how collections are kept; the import API, collection sync and
 * every other feature read and write collections through this interface. Writes of a versioned document
 * follow one rule ({@link VersionRule}): a higher version writes, a lower one is ignored, an equal one is
 * ignored when the content is the same and reported as a conflict when it is not.
 *
 * <p>Errors a client can act on are {@link ApiException}s with ArangoDB's status and {@code errorNum}
 * (404/1203 for a missing collection); a database failure is an {@link IllegalStateException}.
 */
public interface CollectionStore {

    /** The store on a database (H2, PostgreSQL or MariaDB); its catalog tables are created if missing. */
    static CollectionStore onJdbc(DataSource dataSource) {
        JdbcCollectionStore store = new JdbcCollectionStore();
        store.setDataSource(dataSource);
        store.start();
        return store;
    }

    // ---- collections

    /** Creates the collection; false if it existed already. */
    boolean createCollection(String database, String collection);

    /** The collections of a database, by name. */
    List<String> collections(String database);

    /** 404 (errorNum 1203) unless the collection exists. */
    void requireCollection(String database, String collection);

    long count(String database, String collection);

    /** A collection to read and write as rows; created when {@code create} is set, else 404 if missing. */
    StoredCollection collection(String database, String collection, boolean create);

    /** The change log that records every write to this store's collections (docs/replication.md). */
    ChangeLog changeLog();

    /** Whether {@code table} of {@code dataSource} is one of this store's own tables (any collection, the catalog). */
    boolean ownsTable(DataSource dataSource, String table);

    // ---- documents, as ArangoDB's import and document API write and read them

    /**
     * One import request in one transaction: insert, or on a duplicate key what {@code onDuplicate} says;
     * with {@code position}, that source's position advances in the same transaction when no document
     * failed.
     */
    ImportResult importDocuments(String database, ImportRequest request, ImportBody body, SourcePosition position);

    /** The stored documents of those keys that exist. */
    Map<String, ObjectNode> documents(String database, String collection, List<String> keys);

    /** Deletes one document; the deleted document, or empty if there was none. */
    Optional<ObjectNode> remove(String database, String collection, String key);

    // ---- following another node's change log (docs/replication.md#followers)

    /**
     * Starts (or starts again) the initial sync of {@code database} from a primary: its applied tick is
     * cleared until {@link #followerSynced}. 409 when the database follows another primary.
     */
    void beginFollowing(String database, String primaryServerId, String primaryUrl);

    /** The initial sync completed: the primary's log is applied from after {@code tick}. */
    void followerSynced(String database, String primaryServerId, long tick);

    /**
     * A page of the primary's log in ONE transaction, with the applied tick ({@code lastIncluded}) stored in
     * it: a put stores exactly that document and version, a delete removes the key, a missing collection is
     * created. Entries at or below the stored applied tick are skipped; how many were applied.
     */
    int applyLog(String database, String primaryServerId, List<LogEntry> entries, long lastIncluded);

    Optional<FollowerPosition> follower(String database);

    List<FollowerPosition> followers();

    /** Forgets that {@code database} follows a primary (its documents stay); false if it did not. */
    boolean unfollow(String database);

    /** Throws, saying why, unless the store's database answers now (the node's readiness). */
    void checkReachable();

    // ---- sources writing into this store

    List<SourcePosition> positions();

    Optional<SourcePosition> position(String source);

    /** Registers or confirms a source; 409 on a foreign fingerprint or a colliding key prefix. */
    SourceRegistry.Outcome register(SourceRegistration registration);

    boolean deregister(String source);

    List<SourceRegistration> sources();

    Optional<SourceRegistration> source(String source);
}
