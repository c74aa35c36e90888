package io.tributary.central;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
