package io.tributary.offline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.StoredCollection;
import io.tributary.http.ApiException;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import io.tributary.keyrange.JdbcKeyRanges;
import io.tributary.keyrange.VersionedDocument;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A collection of this node as a backup's source, read in key order from one snapshot of the store
 * ({@link StoredCollection#inSnapshot}). Twice: once to find the partitions and count their documents,
 * once to write them, each document going to its partition's file; so all partition files are open at
 * once, and their number is limited ({@link #MAX_PARTITIONS}). Each line is the stored document with its
 * {@code _key} and, when it has one, its {@code _version}.
 */
final class CollectionBackupSource implements BackupSource {

    /** Partition files open at the same time, at most (each holds a compressor's buffers). */
    static final int MAX_PARTITIONS = 500;
    private static final int PAGE = 1000;

    private final StoredCollection collection;
    private final BackupSpec spec;
    private final String identity;

    CollectionBackupSource(StoredCollection collection, String identity, BackupSpec spec) {
        this.collection = collection;
        this.spec = spec;
        this.identity = identity;
    }

    /** Documents come in key order, each to its partition's file: all files are open at once. */
    @Override
    public boolean onePartitionAtATime() {
        return false;
    }

    @Override
    public ObjectNode describe() {
        ObjectNode o = Json.MAPPER.createObjectNode().put("kind", "collection").put("database", spec.database())
                .put("collection", spec.collection()).put("identity", identity);
        if (spec.columns() != null) {
            ArrayNode a = o.putArray("attributes");
            spec.columns().forEach(a::add);
        }
        return o;
    }

    /** Documents have no typed columns; the attributes kept are in the source's {@code attributes}. */
    @Override
    public JsonNode columns() {
        return Json.MAPPER.nullNode();
    }

    @Override
    public JsonNode filter() {
        return spec.filterJson();
    }

    @Override
    public String keyColumn() {
        return "_key";
    }

    @Override
    public void read(Reader reader, JobControl control) {
        collection.inSnapshot(() -> {
            JdbcKeyRanges ranges = collection.ranges();
            Map<String, Found> found = spec.by().equals("value") || spec.by().equals("month") || spec.by().equals("day")
                    ? new TreeMap<>() : new LinkedHashMap<>();
            scan(ranges, control, (doc, position) -> {
                Found f = found.computeIfAbsent(partition(doc, position), name -> new Found(bounds(doc, name)));
                f.rows++;
                f.last = doc.path("_key").asText();
                if (f.first == null) {
                    f.first = f.last;
                }
                if (found.size() > MAX_PARTITIONS) {
                    throw ApiException.badParameter("more than " + MAX_PARTITIONS + " partitions: a collection's backup"
                            + " writes them all at once; choose a coarser partitioning (month, or keys with more rows)");
                }
            });
            Map<String, BackupPlan> byKey = new LinkedHashMap<>();
            Set<String> names = new HashSet<>();
            found.forEach((key, f) -> byKey.put(key,
                    new BackupPlan(BackupPlan.unique(name(key, f), names), f.bounds(spec.by()), f.rows)));
            List<BackupPlan> plans = new ArrayList<>(byKey.values());
            control.setRowsTotal(plans.stream().mapToLong(BackupPlan::rows).sum());
            if (!reader.planned(Instant.now().toString(), Json.MAPPER.nullNode(), plans)) {
                return null;
            }
            Map<String, RowOutput> outputs = new LinkedHashMap<>();
            byKey.forEach((key, plan) -> outputs.put(key, reader.partition(plan)));
            scan(ranges, control, (doc, position) -> {
                outputs.get(partition(doc, position)).write(selected(doc));
                control.addRowsDone(1);
            });
            plans.forEach(reader::partitionDone);
            return null;
        });
    }

    /** Every document in the key filter, in key order, with its position among them. */
    private void scan(JdbcKeyRanges ranges, JobControl control, BiConsumer<ObjectNode, Long> action) {
        String after = null;
        long position = 0;
        while (true) {
            control.check();
            List<VersionedDocument> page = ranges.page(after, PAGE);
            if (page.isEmpty()) {
                return;
            }
            for (VersionedDocument d : page) {
                if (spec.keyTo() != null && d.key().compareTo(spec.keyTo()) > 0) {
                    return;
                }
                if (spec.keyFrom() == null || d.key().compareTo(spec.keyFrom()) >= 0) {
                    ObjectNode doc = document(d);
                    if (spec.attributeRange() == null || spec.attributeRange().test(doc)) {
                        action.accept(doc, position++);
                    }
                }
            }
            after = page.get(page.size() - 1).key();
        }
    }

    private static ObjectNode document(VersionedDocument d) {
        try {
            ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(d.json());
            doc.put("_key", d.key());
            if (d.version() != null) {
                doc.put("_version", d.version());
            }
            return doc;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored document " + d.key() + " is not JSON", e);
        }
    }

    /** The document with only the selected attributes (and its key and version). */
    private ObjectNode selected(ObjectNode doc) {
        if (spec.columns() == null) {
            return doc;
        }
        ObjectNode kept = Json.MAPPER.createObjectNode();
        kept.set("_key", doc.get("_key"));
        if (doc.has("_version")) {
            kept.set("_version", doc.get("_version"));
        }
        spec.columns().forEach(c -> {
            if (doc.has(c)) {
                kept.set(c, doc.get(c));
            }
        });
        return kept;
    }

    /**
     * Which partition the document belongs to: its name, or by value the value's JSON text (the number 1 and
     * the text "1" are two partitions).
     */
    private String partition(ObjectNode doc, long position) {
        return switch (spec.by()) {
            case "none" -> "all";
            case "keys" -> String.format("keys-%06d", position / spec.rowsPerPartition() + 1);
            case "value" -> {
                JsonNode v = doc.get(spec.partitionColumn());
                yield v == null || v.isNull() ? "null" : v.toString();
            }
            default -> {
                LocalDate day = day(doc);
                yield spec.by().equals("day") ? day.toString() : YearMonth.from(day).toString();
            }
        };
    }

    private LocalDate day(ObjectNode doc) {
        JsonNode v = doc.get(spec.partitionColumn());
        String text = v == null || !v.isTextual() ? "" : v.textValue();
        try {
            return LocalDate.parse(text.length() >= 10 ? text.substring(0, 10) : text);
        } catch (DateTimeParseException e) {
            throw ApiException.badParameter("document '" + ApiException.printable(doc.path("_key").asText()) + "' has no ISO"
                    + " date in '" + spec.partitionColumn() + "' (" + ApiException.printable(String.valueOf(v))
                    + "): it belongs to no " + spec.by() + "; partition by value or keys");
        }
    }

    /** The partition's name: by value the value as text ({@code null} for none), otherwise its key. */
    private String name(String key, Found f) {
        if (!spec.by().equals("value")) {
            return key;
        }
        JsonNode v = f.bounds.get("value");
        return v.isNull() ? "null" : v.asText();
    }

    /** The bounds of the partition a document is in, as far as one document tells (keys: completed at the end). */
    private ObjectNode bounds(ObjectNode doc, String name) {
        ObjectNode b = Json.MAPPER.createObjectNode();
        switch (spec.by()) {
            case "value" -> {
                b.put("column", spec.partitionColumn());
                JsonNode v = doc.get(spec.partitionColumn());
                b.set("value", v == null ? Json.MAPPER.nullNode() : v);
            }
            case "day" -> {
                LocalDate d = LocalDate.parse(name);
                b.put("column", spec.partitionColumn()).put("from", d + "T00:00:00").put("to", d.plusDays(1) + "T00:00:00");
            }
            case "month" -> {
                YearMonth m = YearMonth.parse(name);
                b.put("column", spec.partitionColumn()).put("from", m.atDay(1) + "T00:00:00")
                        .put("to", m.plusMonths(1).atDay(1) + "T00:00:00");
            }
            default -> {
                // none: the whole selection; keys: first and last are known once the scan passed them
            }
        }
        return b;
    }

    /** A partition while the first scan finds it. */
    private static final class Found {
        final ObjectNode bounds;
        long rows;
        String first;
        String last;

        Found(ObjectNode bounds) {
            this.bounds = bounds;
        }

        ObjectNode bounds(String by) {
            if (by.equals("keys")) {
                bounds.put("column", "_key").put("first", first).put("last", last);
            }
            return bounds;
        }
    }
}
