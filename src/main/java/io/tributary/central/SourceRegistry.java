package io.tributary.central;

import io.tributary.http.ApiException;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;

/**
 * The table {@code tributary_sources}: one row per source id with the fingerprint of the database and
 * table it reads and where its documents go. It refuses a second, different source under a registered
 * id, and a source whose key prefix collides with another source's in the same collection: either would
 * write the other's keys, and the central node would acknowledge rows that it never stored.
 */
final class SourceRegistry {

    static final String TABLE = "tributary_sources";
    private static final String SELECT = "SELECT source, fingerprint, origin, database_name, collection_name, key_prefix FROM "
            + TABLE;
    private static final RowMapper<SourceRegistration> ROW = (rs, i) -> new SourceRegistration(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6) == null ? "" : rs.getString(6));

    enum Outcome { CREATED, UNCHANGED, UPDATED }

    private final Jdbc jdbc;
    private final Dialect dialect;

    SourceRegistry(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.dialect = jdbc.dialect();
    }

    void createTable() {
        jdbc.create("CREATE TABLE IF NOT EXISTS " + TABLE + " (source "
                + dialect.asciiKeyType(200) + " NOT NULL PRIMARY KEY, fingerprint " + dialect.asciiKeyType(64) + " NOT NULL,"
                + " origin VARCHAR(" + SourceRegistration.MAX_ORIGIN_CHARS + ") NOT NULL,"
                + " database_name " + dialect.asciiKeyType(64) + " NOT NULL, collection_name " + dialect.asciiKeyType(256)
                + " NOT NULL, key_prefix " + dialect.asciiKeyType(SourceRegistration.MAX_PREFIX_CHARS) + " NOT NULL,"
                + " registered_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)" + dialect.tableOptions());
    }

    /**
     * Registers or confirms a source, in the caller's transaction. The caller serialises registrations
     * (a check of other rows cannot lock rows that do not exist yet).
     */
    Outcome register(SourceRegistration given) {
        Optional<SourceRegistration> stored = find(given.source(), true);
        if (stored.isPresent() && !stored.get().fingerprint().equals(given.fingerprint())) {
            throw new ApiException(409, ApiException.CONFLICT, "source id '" + given.source()
                    + "' is already registered by another database or table: registered " + stored.get().describe()
                    + ", refused " + given.describe() + ". Give each source its own sourceId; if this source really"
                    + " moved to a new database, DELETE /_api/tributary/sources/" + given.source() + " first");
        }
        for (SourceRegistration other : all()) {
            if (!other.source().equals(given.source()) && other.overlaps(given)) {
                throw new ApiException(409, ApiException.CONFLICT, "key prefix '" + given.keyPrefix() + "' of "
                        + given.describe() + " collides with " + other.describe() + ": one prefix starts the other, so"
                        + " their documents could share keys. Give each source sharing a collection its own keyPrefix");
            }
        }
        if (stored.isEmpty()) {
            jdbc.template().update("INSERT INTO " + TABLE + " (source, fingerprint, origin, database_name, collection_name,"
                    + " key_prefix, registered_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, " + dialect.localTimestamp() + ", "
                    + dialect.localTimestamp() + ")", given.source(), given.fingerprint(), given.origin(), given.database(),
                    given.collection(), given.keyPrefix());
            return Outcome.CREATED;
        }
        if (stored.get().equals(given)) {
            return Outcome.UNCHANGED;
        }
        jdbc.template().update("UPDATE " + TABLE + " SET fingerprint = ?, origin = ?, database_name = ?, collection_name = ?,"
                + " key_prefix = ?, updated_at = " + dialect.localTimestamp() + " WHERE source = ?", given.fingerprint(),
                given.origin(), given.database(), given.collection(), given.keyPrefix(), given.source());
        return Outcome.UPDATED;
    }

    boolean delete(String source) {
        return jdbc.template().update("DELETE FROM " + TABLE + " WHERE source = ?", source) > 0;
    }

    Optional<SourceRegistration> find(String source, boolean forUpdate) {
        return jdbc.template().query(SELECT + " WHERE source = ?" + (forUpdate ? " FOR UPDATE" : ""), ROW, source)
                .stream().findFirst();
    }

    List<SourceRegistration> all() {
        return jdbc.template().query(SELECT + " ORDER BY source", ROW);
    }

    /**
     * A request carrying {@code X-Tributary-Source} of a registered source may only write that source's
     * keys into its registered collection: 409 otherwise, for the whole request.
     */
    void requireOwnKeys(String source, String database, String collection, List<ImportItem> items) {
        Optional<SourceRegistration> found = find(source, false);
        if (found.isEmpty()) {
            return; // not a registered source (e.g. a plain ArangoDB client using the position headers)
        }
        SourceRegistration r = found.get();
        if (!r.database().equals(database) || !r.collection().equals(collection)) {
            throw new ApiException(409, ApiException.CONFLICT, r.describe() + " is registered for " + r.database() + "/"
                    + r.collection() + ", not " + database + "/" + collection + "; nothing was imported");
        }
        for (ImportItem item : items) {
            if (item.isValid() && !item.key().startsWith(r.keyPrefix())) {
                throw new ApiException(409, ApiException.CONFLICT, "document key '" + item.key() + "' at position "
                        + item.position() + " does not start with the key prefix '" + r.keyPrefix() + "' registered for "
                        + r.describe() + "; nothing was imported");
            }
        }
    }
}
