package io.tributary.offline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.http.ApiException;
import io.tributary.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
    private static final Pattern PARTITION_FILE = Pattern.compile("partitions/p-[0-9]{6}\\.jsonl\\.gz");

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
                        + ApiException.printable(String.valueOf(p.file())) + "': only partitions/p-NNNNNN.jsonl.gz is read");
            }
        }
        return manifest;
    }
}
