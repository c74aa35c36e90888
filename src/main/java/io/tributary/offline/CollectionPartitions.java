package io.tributary.offline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.StoredCollection;
import io.tributary.http.ApiException;
import io.tributary.http.RequestFields;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import io.tributary.keyrange.JdbcKeyRanges;
import io.tributary.keyrange.VersionedDocument;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Which documents of a collection a {@link Selection} holds, which partition each belongs to, and what of
 * each is kept: decided here only, for a collection's backup ({@link CollectionBackupSource}) and for an
 * online copy of another node's collection (the plan and partition requests of the sync source,
 * docs/collection-sync.md). Documents are read in key order, a page at a time.
 */
public final class CollectionPartitions {

    /** Partitions of one selection, at most: a backup writes them all at once, a plan answers them in one body. */
    static final int MAX_PARTITIONS = 500;
    private static final int PAGE = 1000;
    /** The partition key of documents without the partition attribute, or with null in it. */
    private static final String NULL_VALUE = "null";

    private final StoredCollection collection;
    private final Selection selection;

    public CollectionPartitions(StoredCollection collection, Selection selection) {
        this.collection = collection;
        this.selection = selection;
    }

    /** The selection's partitions, their bounds and document counts, read in one snapshot. */
    public List<BackupPlan> plan(JobControl control) {
        return collection.inSnapshot(() -> List.copyOf(plans(collection.ranges(), control).values()));
    }

    /**
     * The documents of one planned partition, as kept ({@link #selected}), in key order and read in a snapshot
     * of their own (written meanwhile, the count may differ from the plan's); returns how many were read. A
     * document is in the partition when its bounds take it ({@link DocumentBounds}), as the copy's target judges it.
     */
    public long read(BackupPlan plan, Consumer<ObjectNode> out, JobControl control) {
        BackupManifest.Bounds b = Json.MAPPER.convertValue(plan.bounds(), BackupManifest.Bounds.class);
        Predicate<JsonNode> inPartition = DocumentBounds.of(selection.filterJson(), selection.by(), "_key", plan.name(), b);
        // by keys, only the partition's own keys are read
        String from = selection.keyFrom();
        String to = selection.keyTo();
        if (selection.by().equals("keys") && b != null && b.first() != null) {
            from = from == null || b.first().compareTo(from) > 0 ? b.first() : from;
            to = to == null || b.last().compareTo(to) < 0 ? b.last() : to;
        }
        String first = from;
        String last = to;
        return collection.inSnapshot(() -> {
            long[] read = {0};
            scan(collection.ranges(), first, last, control, (doc, position) -> {
                if (inPartition.test(doc)) {
                    out.accept(selected(doc));
                    read[0]++;
                }
            });
            return read[0];
        });
    }

    /**
     * A partition as {@link #plan} answered it ({@code name}, {@code bounds}, {@code rows}), sent back to read
     * it: checked against this selection's partitioning, so that no other documents can be asked for.
     */
    public BackupPlan requested(JsonNode partition) {
        if (partition == null || !partition.isObject() || !partition.path("name").isTextual()
                || !partition.path("bounds").isObject()) {
            throw ApiException.badParameter("'partition' must be {name, bounds, rows} as the plan answered it");
        }
        RequestFields.requireKnown(partition, Set.of("name", "bounds", "rows"), "partition.");
        ObjectNode b = (ObjectNode) partition.get("bounds");
        String by = selection.by();
        Set<String> fields = switch (by) {
            case "value" -> Set.of("column", "value");
            case "day", "month" -> Set.of("column", "from", "to");
            case "keys" -> Set.of("column", "first", "last");
            default -> Set.of();
        };
        RequestFields.requireKnown(b, fields, "partition.bounds.");
        if (!fields.isEmpty() && !fields.stream().allMatch(b::has)) {
            throw ApiException.badParameter("'partition.bounds' of a partition by " + by + " needs " + new TreeSet<>(fields));
        }
        String column = by.equals("keys") ? "_key" : selection.partitionColumn();
        if (!fields.isEmpty() && !b.path("column").asText().equals(column)) {
            throw ApiException.badParameter("'partition.bounds.column' must be '" + column + "', the partitionBy's");
        }
        for (String text : List.of("from", "to", "first", "last")) {
            if (b.has(text) && !b.get(text).isTextual()) {
                throw ApiException.badParameter("'partition.bounds." + text + "' must be text");
            }
        }
        if (by.equals("value") && (b.get("value").isContainerNode())) {
            throw ApiException.badParameter("'partition.bounds.value' must be a number, text, boolean or null");
        }
        return new BackupPlan(partition.get("name").asText(), b, partition.path("rows").asLong(0));
    }

    /**
     * Each partition found in {@code ranges} (read by the caller's snapshot) by its key ({@link #partition}),
     * in the order they are written: by value, day and month sorted by key, by keys in key order.
     */
    Map<String, BackupPlan> plans(JdbcKeyRanges ranges, JobControl control) {
        String by = selection.by();
        // a missing or null attribute first, so it is the partition named "null" whatever else prints alike
        Map<String, Found> found = by.equals("value") || by.equals("month") || by.equals("day")
                ? new TreeMap<>(Comparator.comparing((String key) -> !key.equals(NULL_VALUE)).thenComparing(Comparator.naturalOrder()))
                : new LinkedHashMap<>();
        boolean[] attributeSeen = {false};
        Set<String> unseenColumns = selection.columns() == null ? new HashSet<>() : new TreeSet<>(selection.columns());
        scan(ranges, selection.keyFrom(), selection.keyTo(), control, (doc, position) -> {
            Found f = found.computeIfAbsent(partition(doc, position), name -> new Found(bounds(doc, name)));
            f.rows++;
            f.last = doc.path("_key").asText();
            if (f.first == null) {
                f.first = f.last;
            }
            attributeSeen[0] |= selection.partitionColumn() != null && doc.has(selection.partitionColumn());
            if (!unseenColumns.isEmpty()) {
                unseenColumns.removeIf(doc::has);
            }
            if (found.size() > MAX_PARTITIONS) {
                throw ApiException.badParameter("more than " + MAX_PARTITIONS + " partitions: choose a coarser"
                        + " partitioning (month, or keys with more rows)");
            }
        });
        // a collection has no schema to check 'columns' against: an attribute no selected document has is a typo
        if (!found.isEmpty() && !unseenColumns.isEmpty()) {
            throw ApiException.badParameter("'columns' names " + unseenColumns.stream().map(ApiException::printable).toList()
                    + ", which no document in the selection has");
        }
        if (by.equals("value") && !found.isEmpty() && !attributeSeen[0]) {
            throw ApiException.badParameter("'partitionBy.column' '" + selection.partitionColumn() + "' is an attribute"
                    + " of no document in the selection");
        }
        Map<String, BackupPlan> byKey = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        found.forEach((key, f) -> byKey.put(key, new BackupPlan(BackupPlan.unique(name(key, f), names), f.bounds(by), f.rows)));
        return byKey;
    }

    /** Every document of the key range {@code [from, to]} the selection's filter takes, with its position among them. */
    void scan(JdbcKeyRanges ranges, String from, String to, JobControl control, BiConsumer<ObjectNode, Long> action) {
        String after = null;
        long position = 0;
        AttributeRange range = selection.attributeRange();
        while (true) {
            control.check();
            List<VersionedDocument> page = ranges.page(after, PAGE);
            if (page.isEmpty()) {
                return;
            }
            for (VersionedDocument d : page) {
                if (to != null && d.key().compareTo(to) > 0) {
                    return;
                }
                if (from == null || d.key().compareTo(from) >= 0) {
                    ObjectNode doc = document(d);
                    if (range == null || range.test(doc)) {
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
    ObjectNode selected(ObjectNode doc) {
        if (selection.columns() == null) {
            return doc;
        }
        ObjectNode kept = Json.MAPPER.createObjectNode();
        kept.set("_key", doc.get("_key"));
        if (doc.has("_version")) {
            kept.set("_version", doc.get("_version"));
        }
        selection.columns().forEach(c -> {
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
    String partition(ObjectNode doc, long position) {
        return switch (selection.by()) {
            case "none" -> "all";
            case "keys" -> String.format("keys-%06d", position / selection.rowsPerPartition() + 1);
            case "value" -> {
                JsonNode v = doc.get(selection.partitionColumn());
                // numbers by their value (1 and 1.0 are one partition), as a restore finds them (DocumentBounds)
                yield v == null || v.isNull() ? NULL_VALUE
                        : v.isNumber() ? v.decimalValue().stripTrailingZeros().toPlainString() : v.toString();
            }
            default -> {
                LocalDate day = day(doc);
                yield selection.by().equals("day") ? day.toString() : YearMonth.from(day).toString();
            }
        };
    }

    private LocalDate day(ObjectNode doc) {
        JsonNode v = doc.get(selection.partitionColumn());
        LocalDate day = date(v);
        if (day == null) {
            throw ApiException.badParameter("document '" + ApiException.printable(doc.path("_key").asText()) + "' has no ISO"
                    + " date in '" + selection.partitionColumn() + "' (" + ApiException.printable(String.valueOf(v))
                    + "): it belongs to no " + selection.by() + "; partition by value or keys");
        }
        return day;
    }

    /**
     * The day of an attribute's value: the ISO date its text starts with ({@code 2026-11-28},
     * {@code 2026-11-28T10:00:00}, {@code 2026-11-28 10:00:00+01:00}); null for anything else. Which day and
     * month partition a document is in, here and where a restore or copy judges a partition's bounds.
     */
    static LocalDate date(JsonNode value) {
        return value == null || !value.isTextual() ? null : date(value.textValue());
    }

    static LocalDate date(String text) {
        try {
            return text == null ? null : LocalDate.parse(text.length() >= 10 ? text.substring(0, 10) : text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The partition's name: by value the value as text ({@code null} for none), otherwise its key. */
    private String name(String key, Found f) {
        if (!selection.by().equals("value")) {
            return key;
        }
        JsonNode v = f.bounds.get("value");
        return v.isNull() ? "null" : v.asText();
    }

    /** The bounds of the partition a document is in, as far as one document tells (keys: completed at the end). */
    private ObjectNode bounds(ObjectNode doc, String name) {
        ObjectNode b = Json.MAPPER.createObjectNode();
        String column = selection.partitionColumn();
        switch (selection.by()) {
            case "value" -> {
                b.put("column", column);
                JsonNode v = doc.get(column);
                b.set("value", v == null ? Json.MAPPER.nullNode() : v);
            }
            case "day" -> {
                LocalDate d = LocalDate.parse(name);
                b.put("column", column).put("from", d + "T00:00:00").put("to", d.plusDays(1) + "T00:00:00");
            }
            case "month" -> {
                YearMonth m = YearMonth.parse(name);
                b.put("column", column).put("from", m.atDay(1) + "T00:00:00").put("to", m.plusMonths(1).atDay(1) + "T00:00:00");
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
