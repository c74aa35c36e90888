package io.tributary.offline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.function.Predicate;

/**
 * A partition's bounds (docs/offline.md) judged on a document's attribute, in Java: the central store
 * keeps documents as JSON, so restoring into a collection finds a partition's documents this way.
 */
final class DocumentBounds {

    private DocumentBounds() {
    }

    static Predicate<JsonNode> of(BackupManifest manifest, BackupManifest.Partition p) {
        return of(manifest.filter(), manifest.partitioning().by(), manifest.keyColumn(), manifest.name(), p.bounds());
    }

    /**
     * @param filter     the selection's filter as a manifest records it (key range, attribute range)
     * @param keyColumn  the attribute partitions by value, day, month or keys name when their bounds do not
     * @param name       what an error names: the backup, or an online copy's source
     */
    static Predicate<JsonNode> of(JsonNode filter, String by, String keyColumn, String name, BackupManifest.Bounds b) {
        AttributeRange range = AttributeRange.of(filter);
        return inBounds(by, keyColumn, name, b).and(inKeyRange(filter)).and(doc -> range == null || range.test(doc));
    }

    /** A collection backup's key filter (and attribute range): only documents in it belong to its partitions. */
    private static Predicate<JsonNode> inKeyRange(JsonNode filter) {
        String from = filter == null ? null : filter.path("keyFrom").asText(null);
        String to = filter == null ? null : filter.path("keyTo").asText(null);
        return doc -> {
            String key = doc.path("_key").asText();
            return (from == null || key.compareTo(from) >= 0) && (to == null || key.compareTo(to) <= 0);
        };
    }

    private static Predicate<JsonNode> inBounds(String by, String keyColumn, String name, BackupManifest.Bounds b) {
        if (b == null || by == null || by.equals("none")) {
            return doc -> true;
        }
        String attribute = b.column() != null ? b.column() : keyColumn;
        return switch (by) {
            case "value" -> doc -> sameValue(doc.get(attribute), b.value());
            // the day a document belongs to, as the partitions were found by it (CollectionPartitions.date)
            case "day", "month" -> {
                LocalDate from = CollectionPartitions.date(b.from());
                LocalDate to = CollectionPartitions.date(b.to());
                if (from == null || to == null) {
                    // bounds that are no ISO dates (a SQL table's date before the year 0): compared as text
                    yield doc -> {
                        JsonNode v = doc.get(attribute);
                        return v != null && v.isTextual() && v.textValue().compareTo(b.from()) >= 0
                                && v.textValue().compareTo(b.to()) < 0;
                    };
                }
                yield doc -> {
                    LocalDate d = CollectionPartitions.date(doc.get(attribute));
                    return d != null && !d.isBefore(from) && d.isBefore(to);
                };
            }
            // keys compare in byte order, which String.compareTo is for the ASCII keys the store admits
            case "keys" -> doc -> {
                JsonNode v = doc.get(attribute);
                if (v == null || v.isNull()) {
                    return false;
                }
                String key = v.asText();
                return key.compareTo(b.first()) >= 0 && key.compareTo(b.last()) <= 0;
            };
            default -> throw new IllegalArgumentException("backup '" + name + "' has unknown partitioning '"
                    + by + "'");
        };
    }

    private static boolean sameValue(JsonNode stored, JsonNode bound) {
        boolean storedNull = stored == null || stored.isNull();
        if (bound == null || bound.isNull()) {
            return storedNull;
        }
        if (storedNull) {
            return false;
        }
        if (stored.isNumber() || bound.isNumber()) {
            return stored.isNumber() && bound.isNumber() && stored.decimalValue().compareTo(bound.decimalValue()) == 0;
        }
        // the number 1 and the text "1" are partitions of their own (CollectionPartitions.partition)
        return stored.getNodeType() == bound.getNodeType() && stored.asText().equals(bound.asText());
    }
}
