package io.tributary.transfer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A complete backup of a collection as docs/offline.md describes it, written by hand: partitions by key
 * range of random documents, and the manifest.
 */
final class TestBackup {

    private TestBackup() {
    }

    static void write(Path root, String name, int partitions, Random random) {
        Path dir = root.resolve(name);
        try {
            Files.createDirectories(dir.resolve("partitions"));
            for (int p = 1; p <= partitions; p++) {
                writePartition(dir, p, 200 + random.nextInt(300), random);
            }
            writeManifest(dir, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path partition(Path root, String name, int p) {
        return root.resolve(name).resolve(String.format("partitions/p-%06d.jsonl.gz", p));
    }

    /** New rows for one partition, and the manifest that goes with them. */
    static void rewritePartition(Path root, String name, int p, Random random) {
        try {
            writePartition(root.resolve(name), p, 100 + random.nextInt(100), random);
            writeManifest(root.resolve(name), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writePartition(Path dir, int p, int rows, Random random) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(String.format("partitions/p-%06d.jsonl.gz", p))))) {
            for (int i = 0; i < rows; i++) {
                out.write(("{\"_key\":\"" + key(p, i) + "\",\"amount\":" + random.nextInt(1_000_000) + ",\"note\":\"n"
                        + Long.toHexString(random.nextLong()) + "\"}\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    static String key(int partition, int i) {
        return String.format("k%d%05d", partition, i);
    }

    private static long rows(Path gzip) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gzip)),
                StandardCharsets.UTF_8))) {
            return in.lines().count();
        }
    }

    private static void writeManifest(Path dir, String name) throws IOException {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("format", "tributary-backup").put("formatVersion", 1).put("name", name);
        m.putObject("source").put("kind", "collection").put("database", "_system").put("collection", "orders")
                .put("identity", "test://site-a/_system/orders");
        m.putNull("columns");
        m.put("keyColumn", "_key");
        m.putObject("partitioning").put("by", "keys").put("rowsPerPartition", 1000);
        ArrayNode parts = m.putArray("partitions");
        try (var files = Files.list(dir.resolve("partitions"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("p-")).sorted().toList()) {
                String rel = "partitions/" + f.getFileName();
                int p = Integer.parseInt(f.getFileName().toString().substring(2, 8));
                ObjectNode part = parts.addObject().put("name", String.format("keys-%06d", p)).put("file", rel)
                        .put("rows", rows(f)).put("bytes", Files.size(f)).put("sha256", BackupFiles.sha256(f));
                part.putObject("bounds").put("column", "_key").put("first", key(p, 0)).put("last", key(p, 99_999));
            }
        }
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("manifest.json").toFile(), m);
    }
}
