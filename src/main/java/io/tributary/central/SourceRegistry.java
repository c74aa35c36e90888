package io.tributary.central;

import io.tributary.http.ApiException;
import io.tributary.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The table {@code tributary_sources}: one row per source id with the fingerprint of the database and
 * table it reads and where its documents go. It refuses a second, different source under a registered
 * id, and a source whose key prefix collides with another source's in the same collection: either would
 * write the other's keys, and the central node would acknowledge rows that it never stored.
 */
final class SourceRegistry {

    static final String TABLE = "tributary_sources";

    enum Outcome { CREATED, UNCHANGED, UPDATED }

    private final Dialect dialect;

    SourceRegistry(Dialect dialect) {
        this.dialect = dialect;
    }

    void createTable(Connection c) throws SQLException {
        JdbcCollectionStore.createIdempotently(c, dialect, "CREATE TABLE IF NOT EXISTS " + TABLE + " (source "
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
    Outcome register(Connection c, SourceRegistration given) throws SQLException {
        Optional<SourceRegistration> stored = find(c, given.source(), true);
        if (stored.isPresent() && !stored.get().fingerprint().equals(given.fingerprint())) {
            throw new ApiException(409, ApiException.CONFLICT, "source id '" + given.source()
                    + "' is already registered by another database or table: registered " + stored.get().describe()
                    + ", refused " + given.describe() + ". Give each source its own sourceId; if this source really"
                    + " moved to a new database, DELETE /_api/tributary/sources/" + given.source() + " first");
        }
        for (SourceRegistration other : all(c)) {
            if (!other.source().equals(given.source()) && other.overlaps(given)) {
                throw new ApiException(409, ApiException.CONFLICT, "key prefix '" + given.keyPrefix() + "' of "
                        + given.describe() + " collides with " + other.describe() + ": one prefix starts the other, so"
                        + " their documents could share keys. Give each source sharing a collection its own keyPrefix");
            }
        }
        if (stored.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (source, fingerprint, origin,"
                    + " database_name, collection_name, key_prefix, registered_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
                    + dialect.localTimestamp() + ", " + dialect.localTimestamp() + ")")) {
                bind(ps, given);
                ps.executeUpdate();
            }
            return Outcome.CREATED;
        }
        if (stored.get().equals(given)) {
            return Outcome.UNCHANGED;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET fingerprint = ?, origin = ?,"
                + " database_name = ?, collection_name = ?, key_prefix = ?, updated_at = " + dialect.localTimestamp()
                + " WHERE source = ?")) {
            ps.setString(1, given.fingerprint());
            ps.setString(2, given.origin());
            ps.setString(3, given.database());
            ps.setString(4, given.collection());
            ps.setString(5, given.keyPrefix());
            ps.setString(6, given.source());
            ps.executeUpdate();
        }
        return Outcome.UPDATED;
    }

    boolean delete(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE source = ?")) {
            ps.setString(1, source);
            return ps.executeUpdate() > 0;
        }
    }

    Optional<SourceRegistration> find(Connection c, String source, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select() + " WHERE source = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    List<SourceRegistration> all(Connection c) throws SQLException {
        List<SourceRegistration> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(select() + " ORDER BY source"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.add(row(rs));
            }
        }
        return result;
    }

    /**
     * A request carrying {@code X-Tributary-Source} of a registered source may only write that source's
     * keys into its registered collection: 409 otherwise, for the whole request.
     */
    void requireOwnKeys(Connection c, String source, String database, String collection, List<ImportItem> items)
            throws SQLException {
        Optional<SourceRegistration> found = find(c, source, false);
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

    private static String select() {
        return "SELECT source, fingerprint, origin, database_name, collection_name, key_prefix FROM " + TABLE;
    }

    private static SourceRegistration row(ResultSet rs) throws SQLException {
        return new SourceRegistration(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6) == null ? "" : rs.getString(6));
    }

    private static void bind(PreparedStatement ps, SourceRegistration r) throws SQLException {
        ps.setString(1, r.source());
        ps.setString(2, r.fingerprint());
        ps.setString(3, r.origin());
        ps.setString(4, r.database());
        ps.setString(5, r.collection());
        ps.setString(6, r.keyPrefix());
    }
}
