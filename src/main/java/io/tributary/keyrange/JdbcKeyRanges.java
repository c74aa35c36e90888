package io.tributary.keyrange;

import io.tributary.sql.Jdbc;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.transaction.TransactionException;

/**
 * Key ranges, hashes and documents of one JDBC table, read with keyset pagination: every call is one
 * bounded query in its own short transaction, so no lock or snapshot outlives a call and memory holds
 * one page at most. Serves a sync's source (SQL tables, and the central endpoint's collections) and its
 * target side of the comparison.
 */
public final class JdbcKeyRanges implements KeyRanges {

    private final Jdbc jdbc;
    private final RowShape rows;
    /** Hash every row by its content, also where it has a version (see {@link #byContent()}). */
    private final boolean byContent;

    public JdbcKeyRanges(Jdbc jdbc, RowShape rows) {
        this(jdbc, rows, false);
    }

    private JdbcKeyRanges(Jdbc jdbc, RowShape rows, boolean byContent) {
        this.jdbc = jdbc;
        this.rows = rows;
        this.byContent = byContent;
    }

    /**
     * The same rows hashed as key + canonical document even where they carry a {@code _version}: what
     * a source's verify compares, since a row changed without a new version must show there.
     */
    public JdbcKeyRanges byContent() {
        return new JdbcKeyRanges(jdbc, rows, true);
    }

    private String hash(VersionedDocument doc) {
        return byContent ? DocumentHash.of(doc.key(), null, doc.json()) : doc.hash();
    }

    @Override
    public long count() {
        return failing("count", () -> jdbc.template().queryForObject("SELECT COUNT(*) FROM " + rows.table(), Long.class));
    }

    @Override
    public List<KeyChunk> chunks(String after, String upTo, int chunkSize, int maxChunks) {
        List<KeyChunk> chunks = new ArrayList<>();
        DocumentHash.Range range = new DocumentHash.Range();
        String[] last = {null};
        scan(after, upTo, (long) chunkSize * maxChunks, doc -> {
            range.add(hash(doc));
            last[0] = doc.key();
            if (range.count() == chunkSize) {
                chunks.add(new KeyChunk(doc.key(), chunkSize, range.finish()));
            }
            return true;
        });
        if (range.count() > 0) {
            chunks.add(new KeyChunk(last[0], range.count(), range.finish())); // arguments are evaluated left to right
        }
        return chunks;
    }

    /**
     * This table's count and hash of each range {@code (after, highs[0]], (highs[0], highs[1]], ...}: the
     * target's side of comparing the source's chunks, in one query.
     */
    public List<KeyChunk> rangeHashes(String after, List<String> highs) {
        if (highs.isEmpty()) {
            return new ArrayList<>();
        }
        KeyChunk.Ranges ranges = new KeyChunk.Ranges(highs);
        scan(after, highs.get(highs.size() - 1), Long.MAX_VALUE, doc -> {
            ranges.add(doc.key(), hash(doc));
            return true;
        });
        return ranges.finish();
    }

    @Override
    public List<KeyHash> keyHashes(String after, String upTo, int limit) {
        List<KeyHash> hashes = new ArrayList<>();
        scan(after, upTo, limit, doc -> hashes.add(new KeyHash(doc.key(), hash(doc))));
        return hashes;
    }

    @Override
    public List<VersionedDocument> page(String after, int limit) {
        return page(after, limit, Long.MAX_VALUE).docs();
    }

    @Override
    public List<VersionedDocument> documents(List<String> keys) {
        return documents(keys, Long.MAX_VALUE).docs();
    }

    private void lookup(List<String> keys, Predicate<VersionedDocument> consumer) {
        boolean[] goOn = {true};
        failing("read documents", () -> {
            Jdbc.inChunks(keys, chunk -> goOn[0] = goOn[0] && jdbc.template().query("SELECT " + rows.columns() + " FROM "
                    + rows.table() + " WHERE " + rows.keyColumn() + " IN (" + "?,".repeat(chunk.size() - 1) + "?)", ps -> {
                        for (int i = 0; i < chunk.size(); i++) {
                            rows.bindKey(ps, i + 1, chunk.get(i));
                        }
                    }, reading(consumer)));
            return null;
        });
    }

    /** Hands each row to {@code consumer} while it answers that it wants more; whether it still does. */
    private ResultSetExtractor<Boolean> reading(Predicate<VersionedDocument> consumer) {
        return rs -> {
            RowShape.RowReader reader = rows.reader(rs.getMetaData());
            while (rs.next()) {
                if (!consumer.test(reader.read(rs))) {
                    return false;
                }
            }
            return true;
        };
    }

    /** Documents read within a size budget; {@code cut}: reading stopped at the budget, more are left. */
    public record Documents(List<VersionedDocument> docs, boolean cut) {
    }

    /** Adds documents while their JSON stays within {@code maxChars} in all; always takes the first one. */
    private static final class Budget implements Predicate<VersionedDocument> {
        private final List<VersionedDocument> docs = new ArrayList<>();
        private final long maxChars;
        private long chars;
        private boolean cut;

        Budget(long maxChars) {
            this.maxChars = maxChars;
        }

        @Override
        public boolean test(VersionedDocument doc) {
            if (!docs.isEmpty() && chars + doc.json().length() > maxChars) {
                cut = true; // this one is read again by the next request
                return false;
            }
            chars += doc.json().length();
            docs.add(doc);
            return true;
        }

        Documents result() {
            return new Documents(docs, cut);
        }
    }

    /** Like {@link #page}, but stops before the documents' JSON exceeds {@code maxChars} (after the first). */
    public Documents page(String after, int limit, long maxChars) {
        Budget budget = new Budget(maxChars);
        scan(after, null, limit, budget);
        return budget.result();
    }

    /** Like {@link #documents}, but stops before the documents' JSON exceeds {@code maxChars} (after the first). */
    public Documents documents(List<String> keys, long maxChars) {
        Budget budget = new Budget(maxChars);
        lookup(keys, budget);
        return budget.result();
    }

    /** Rows in {@code (after, upTo]} in byte order of their keys, at most {@code limit}, streamed. */
    private void scan(String after, String upTo, long limit, Predicate<VersionedDocument> consumer) {
        String key = rows.orderedKey();
        StringBuilder sql = new StringBuilder("SELECT ").append(rows.columns()).append(" FROM ").append(rows.table());
        List<String> args = new ArrayList<>(2);
        if (after != null) {
            sql.append(" WHERE ").append(key).append(" > ?");
            args.add(after);
        }
        if (upTo != null) {
            sql.append(after == null ? " WHERE " : " AND ").append(key).append(" <= ?");
            args.add(upTo);
        }
        sql.append(" ORDER BY ").append(key);
        if (limit < Long.MAX_VALUE) {
            sql.append(" LIMIT ").append(limit);
        }
        // a transaction of this one query: PostgreSQL streams with a cursor only inside one
        failing("scan", () -> jdbc.read(s -> jdbc.template().query(sql.toString(), reading(consumer), args.toArray())));
    }

    /** {@code work}, a failure of which names what failed and gives the database's own message. */
    private <T> T failing(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (DataAccessException | TransactionException e) {
            throw new IllegalStateException("Cannot " + what + " " + rows.table() + ": " + Jdbc.reason(e), e);
        }
    }
}
