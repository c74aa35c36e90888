package io.tributary.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.json.Json;
import io.tributary.keyrange.ByteKeyOrder;
import io.tributary.keyrange.DocumentHash;
import io.tributary.keyrange.RangeComparison;
import io.tributary.source.BatchBody;
import io.tributary.source.ChangeFeed.Change;
import io.tributary.source.ChangeFeed;
import io.tributary.source.KeyOrder;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.io.IOException;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.dao.DataAccessException;

/**
 * A source's table as the documents the source sends: rows are read with {@code SELECT *} and turned into
 * documents by the source's own {@link ChangeFeed#changes} and {@link BatchBody}, so what is compared cannot
 * drift from what is sent. Keys are ordered by the bytes of the document {@code _key} (the prefix is the
 * same for every row, so by the bytes of the key column's text), as the central node's sync API orders them.
 * Every call is one bounded query.
 */
final class SourceTable {

    /** One row as a document: its {@code _key}, content hash, the change it came from and the document itself. */
    record Row(String key, String hash, Change change, JsonNode document) implements RangeComparison.Keyed {
        BigInteger version() {
            JsonNode v = document.get(BatchBody.VERSION_ATTRIBUTE);
            return v == null || v.isNull() ? null : v.bigIntegerValue();
        }
    }

    /** Rows converted and hashed at a time while a query streams. */
    static final int WINDOW = 1000;

    private final SourceSettings settings;
    private final Jdbc jdbc;
    private final ChangeFeed feed;
    private final KeyOrder order;
    private final BatchBody body;
    private final String orderedKey;

    SourceTable(SourceSettings settings) {
        this.settings = settings;
        this.jdbc = new Jdbc(settings.dataSource());
        Dialect dialect = jdbc.dialect();
        this.feed = new ChangeFeed(settings.dataSource(), dialect, settings.table(), settings.keyColumn(),
                settings.timestampColumn(), settings.columnCase());
        int keyType = feed.keyColumnType();
        KeyOrder configured = KeyOrder.parse(settings.keyOrder());
        this.order = configured == null ? KeyOrder.forColumnType(keyType) : configured;
        this.body = new BatchBody(settings.sourceId(), settings.keyPrefix(), order, settings.mode());
        String key = settings.keyColumn();
        // the key's text in byte order; costs a sort per page unless the column is text with a byte collation
        this.orderedKey = ByteKeyOrder.expression(jdbc.template(), dialect, settings.table(), key, key,
                ByteKeyOrder.isText(keyType));
    }

    KeyOrder order() {
        return order;
    }

    BatchBody body() {
        return body;
    }

    /**
     * Every row whose document key lies in {@code (after, upTo]} (null bounds are open; bounds are document
     * keys of this source, starting with its prefix), in key order, at most {@code limit} (0: no limit),
     * handed over in windows of {@value #WINDOW} rows. One streaming query: ordering by the key's text may cost the
     * database a sort, which a query per page would pay again for every page.
     */
    void scan(String after, String upTo, int limit, Consumer<List<Row>> window) {
        List<String> conditions = new ArrayList<>();
        List<String> args = new ArrayList<>();
        if (after != null) {
            conditions.add(orderedKey + " > ?");
            args.add(strip(after));
        }
        if (upTo != null) {
            conditions.add(orderedKey + " <= ?");
            args.add(strip(upTo));
        }
        if (settings.timestampColumn() != null) {
            // the source never reads a row without a timestamp, so it has no document
            conditions.add(settings.timestampColumn() + " IS NOT NULL");
        }
        String sql = "SELECT * FROM " + settings.table() + (conditions.isEmpty() ? "" : " WHERE "
                + String.join(" AND ", conditions)) + " ORDER BY " + orderedKey + (limit > 0 ? " LIMIT " + limit : "");
        try {
            // PostgreSQL streams with a cursor only inside a transaction; it ends with this one query
            jdbc.read(tx -> jdbc.template().query(sql, (ResultSet rs) -> {
                List<Change> changes;
                do { // a short window is the last: next() is not called again on an ended result set
                    changes = feed.next(rs, WINDOW);
                    if (!changes.isEmpty()) {
                        window.accept(documents(changes));
                    }
                } while (changes.size() == WINDOW);
                return null;
            }, args.toArray()));
        } catch (DataAccessException e) {
            throw cannotRead(e);
        }
    }

    /** The rows of these document keys that exist now (read again just before a repair sends them). */
    List<Row> rows(List<String> keys) {
        List<Object> values = new ArrayList<>(keys.size());
        for (String key : keys) {
            try {
                values.add(order.sqlValue(strip(key)));
            } catch (NumberFormatException e) {
                // no such row can exist in a numeric key column
            }
        }
        List<Change> changes = new ArrayList<>();
        String sql = "SELECT * FROM " + settings.table() + " WHERE " + settings.keyColumn() + " IN (:keys)"
                + (settings.timestampColumn() == null ? "" : " AND " + settings.timestampColumn() + " IS NOT NULL");
        try {
            // a repair calls this while a scan streams: outside its transaction, so it sees the rows as they are now
            jdbc.outsideTransaction(tx -> {
                Jdbc.inChunks(values, chunk -> changes.addAll(jdbc.named().query(sql, Map.of("keys", chunk),
                        (ResultSet rs) -> feed.changes(rs))));
                return null;
            });
        } catch (DataAccessException e) {
            throw cannotRead(e);
        }
        return documents(changes);
    }

    private IllegalStateException cannotRead(DataAccessException e) {
        return new IllegalStateException("Cannot read " + settings.table() + ": " + Jdbc.reason(e), e);
    }

    /** The documents exactly as a batch of the source carries them, each with its content hash. */
    private List<Row> documents(List<Change> changes) {
        List<Row> rows = new ArrayList<>(changes.size());
        if (changes.isEmpty()) {
            return rows;
        }
        JsonNode documents;
        try {
            documents = Json.MAPPER.readTree(body.json(changes));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < changes.size(); i++) {
            JsonNode doc = documents.get(i);
            String key = doc.get("_key").asText();
            rows.add(new Row(key, DocumentHash.of(key, null, doc.toString()), changes.get(i), doc));
        }
        return rows;
    }

    private String strip(String documentKey) {
        return documentKey.startsWith(settings.keyPrefix()) ? documentKey.substring(settings.keyPrefix().length())
                : documentKey;
    }
}
