package io.tributary.offline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A backup's {@code manifest.json} (docs/offline.md): what was backed up from where, and each partition
 * file with its row count, byte size and SHA-256. Field names are those of the file.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupManifest(String format, int formatVersion, String name, String createdAt, String completedAt,
                             Source source, String readAt, JsonNode position, JsonNode filter, List<Column> columns,
                             String keyColumn, Partitioning partitioning, List<Partition> partitions) {

    public static final String FORMAT = "tributary-backup";
    public static final int FORMAT_VERSION = 1;
    public static final String FILE = "manifest.json";
    private static final Pattern PARTITION_FILE = Pattern.compile("partitions/p-[0-9]{6}\\.jsonl\\.(zst|gz)");

    /** {@code kind} "table" (dataSource, table, keyColumn, product) or "collection" (database, collection). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Source(String kind, String dataSource, String table, String keyColumn, String product,
                         String database, String collection, String identity) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Column(String name, String type) {
    }

    /** {@code by}: none, value, day, month or keys. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Partitioning(String by, String column, Long rowsPerPartition) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Partition(String name, String file, long rows, long bytes, String sha256, Bounds bounds) {
    }

    /**
     * Which rows belong to a partition: {@code value} (a JSON null for NULL), {@code from} inclusive and
     * {@code to} exclusive (day, month), {@code first} and {@code last} inclusive in byte order (keys);
     * none of them: the whole selection.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Bounds(String column, JsonNode value, String from, String to, String first, String last) {
    }

    /** Reads and checks the manifest of the backup in {@code backupDir}: a missing or foreign one is refused here. */
    public static BackupManifest read(Path backupDir) {
        Path file = backupDir.resolve(FILE);
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = Json.MAPPER.readTree(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("not a backup: " + file + " is missing");
        } catch (IOException e) {
            throw new IllegalArgumentException("backup manifest " + file + " is not readable JSON: " + e.getMessage(), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText(null))) {
            throw new IllegalArgumentException("not a backup: " + file + " has format '" + root.path("format").asText("")
                    + "', expected '" + FORMAT + "'");
        }
        JsonNode version = root.path("formatVersion");
        if (!version.isInt() || version.asInt() != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown backup formatVersion " + version + " in " + file
                    + ": this Tributary reads formatVersion " + FORMAT_VERSION);
        }
        BackupManifest manifest;
        try {
            manifest = Json.MAPPER.treeToValue(root, BackupManifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("backup manifest " + file + " is malformed: " + e.getMessage(), e);
        }
        if (manifest.source() == null || manifest.partitions() == null || manifest.partitioning() == null) {
            throw new IllegalArgumentException("backup manifest " + file + " lacks 'source', 'partitioning' or 'partitions'");
        }
        for (Partition p : manifest.partitions()) {
            // a manifest is data from another site: it names files inside the backup, nothing else
            if (p.file() == null || !PARTITION_FILE.matcher(p.file()).matches()) {
                throw new IllegalArgumentException("backup manifest " + file + " names partition file '"
                        + ApiException.printable(String.valueOf(p.file())) + "': only partitions/p-NNNNNN.jsonl.zst or .jsonl.gz is read");
            }
            String wrong = wrongBounds(manifest.partitioning(), p.bounds());
            if (wrong != null) {
                throw new IllegalArgumentException("backup manifest " + file + ": partition '"
                        + ApiException.printable(String.valueOf(p.name())) + "' (" + p.file() + ") has bounds "
                        + ApiException.printable(shown(p.bounds()))
                        + " that do not fit partitioning by " + ApiException.printable(manifest.partitioning().by())
                        + ": " + wrong);
            }
        }
        return manifest;
    }

    /**
     * What is wrong with a partition's bounds for the backup's partitioning (docs/offline.md, {@code bounds}),
     * or null: a restore replaces the target's rows in them, so they must say exactly which rows those are.
     */
    static String wrongBounds(Partitioning partitioning, Bounds b) {
        String by = String.valueOf(partitioning.by());
        boolean range = b != null && (b.from() != null || b.to() != null);
        boolean keys = b != null && (b.first() != null || b.last() != null);
        boolean value = b != null && b.value() != null;
        boolean column = b != null && b.column() != null;
        switch (by) {
            case "none" -> {
                return column || range || keys || value ? "the whole selection has no bounds ({})" : null;
            }
            case "value" -> {
                if (!column || !value || range || keys) {
                    return "needs exactly 'column' and 'value' (null for the rows without one)";
                }
                if (b.value().isContainerNode()) {
                    return "'value' must be a single value";
                }
                return sameColumn(partitioning, b);
            }
            case "day", "month" -> {
                if (!column || b.from() == null || b.to() == null || keys || value) {
                    return "needs exactly 'column', 'from' and 'to'";
                }
                LocalDateTime from;
                LocalDateTime to;
                try {
                    from = LocalDateTime.parse(b.from());
                    to = LocalDateTime.parse(b.to());
                } catch (DateTimeParseException e) {
                    return "'from' and 'to' must be yyyy-mm-ddT00:00:00";
                }
                boolean day = by.equals("day");
                if (!from.toLocalTime().equals(LocalTime.MIDNIGHT) || (!day && from.getDayOfMonth() != 1)
                        || !to.equals(day ? from.plusDays(1) : from.plusMonths(1))) {
                    return "'from' must start a " + by + " and 'to' the next";
                }
                return sameColumn(partitioning, b);
            }
            case "keys" -> {
                if (b.first() == null || b.last() == null || range || value) {
                    return "needs 'first' and 'last' (and the key 'column')";
                }
                if (Arrays.compareUnsigned(b.first().getBytes(StandardCharsets.UTF_8),
                        b.last().getBytes(StandardCharsets.UTF_8)) > 0) {
                    return "'first' comes after 'last' in byte order";
                }
                return null;
            }
            default -> {
                return "unknown partitioning (none, value, day, month or keys)";
            }
        }
    }

    /** The bounds as the manifest holds them (the fields present). */
    private static String shown(Bounds b) {
        if (b == null) {
            return "(none)";
        }
        ObjectNode o = Json.MAPPER.createObjectNode();
        if (b.column() != null) {
            o.put("column", b.column());
        }
        if (b.value() != null) {
            o.set("value", b.value());
        }
        for (String[] f : new String[][] {{"from", b.from()}, {"to", b.to()}, {"first", b.first()}, {"last", b.last()}}) {
            if (f[1] != null) {
                o.put(f[0], f[1]);
            }
        }
        return o.toString();
    }

    private static String sameColumn(Partitioning partitioning, Bounds b) {
        return partitioning.column() == null || partitioning.column().equalsIgnoreCase(b.column()) ? null
                : "'column' is not the partitioning's column " + partitioning.column();
    }
}
