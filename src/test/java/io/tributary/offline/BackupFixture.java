package io.tributary.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes backups as docs/offline.md describes them (gzip'd JSON Lines, manifest with real SHA-256), so the
 * restore is tested against the file format itself, not against the backup code.
 */
final class BackupFixture {

    /** One partition: its name, bounds and rows. */
    record Part(String name, JsonNode bounds, List<ObjectNode> rows) {
    }

    private final ObjectNode manifest = Json.MAPPER.createObjectNode();

    private BackupFixture(String name, ObjectNode source) {
        manifest.put("format", BackupManifest.FORMAT).put("formatVersion", BackupManifest.FORMAT_VERSION)
                .put("name", name).put("createdAt", "2026-11-30T22:30:00.123Z")
                .put("completedAt", "2026-11-30T22:30:04.456Z").put("readAt", "2026-11-30T22:30:00.100Z");
        manifest.set("source", source);
        manifest.putNull("filter");
    }

    /** A backup of a SQL table with these columns ({name, type} pairs), partitioned as given. */
    static BackupFixture table(String name, String identity, String keyColumn, String by, String column,
                               String... columnsAndTypes) {
        ObjectNode source = Json.MAPPER.createObjectNode().put("kind", "table").put("dataSource", "ordersDb")
                .put("table", "orders").put("keyColumn", keyColumn).put("product", "H2").put("identity", identity);
        BackupFixture f = new BackupFixture(name, source);
        ArrayNode columns = f.manifest.putArray("columns");
        for (int i = 0; i < columnsAndTypes.length; i += 2) {
            columns.addObject().put("name", columnsAndTypes[i]).put("type", columnsAndTypes[i + 1]);
        }
        f.manifest.put("keyColumn", keyColumn);
        f.manifest.putObject("partitioning").put("by", by).put("column", column);
        return f;
    }

    static BackupFixture collection(String name, String identity, String by, String column) {
        ObjectNode source = Json.MAPPER.createObjectNode().put("kind", "collection").put("database", "_system")
                .put("collection", "orders").put("identity", identity);
        BackupFixture f = new BackupFixture(name, source);
        f.manifest.putNull("columns");
        f.manifest.put("keyColumn", "_key");
        f.manifest.putObject("partitioning").put("by", by).put("column", column);
        return f;
    }

    BackupFixture formatVersion(int version) {
        manifest.put("formatVersion", version);
        return this;
    }

    static ObjectNode dayBounds(String column, String day) {
        return Json.MAPPER.createObjectNode().put("column", column).put("from", day + "T00:00:00")
                .put("to", java.time.LocalDate.parse(day).plusDays(1) + "T00:00:00");
    }

    /** Writes {@code <root>/<name>/} with one file per part; the backup's directory. */
    Path write(Path root, List<Part> parts) {
        try {
            Path dir = root.resolve(manifest.get("name").asText());
            Files.createDirectories(dir.resolve("partitions"));
            ArrayNode list = manifest.putArray("partitions");
            int n = 0;
            for (Part part : parts) {
                String file = String.format("partitions/p-%06d.jsonl.gz", ++n);
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(file)))) {
                    for (ObjectNode row : part.rows()) {
                        out.write((Json.MAPPER.writeValueAsString(row) + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
                byte[] bytes = Files.readAllBytes(dir.resolve(file));
                ObjectNode entry = list.addObject().put("name", part.name()).put("file", file)
                        .put("rows", part.rows().size()).put("bytes", bytes.length)
                        .put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
                entry.set("bounds", part.bounds());
            }
            Files.writeString(dir.resolve(BackupManifest.FILE), Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(manifest));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
