package io.tributary.offline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One partition file of a backup, checked against its manifest entry: present, of the manifest's byte
 * size, and (while its rows stream) of the manifest's SHA-256 and row count. Every failure is an
 * {@link IllegalArgumentException} that names the file.
 */
final class PartitionFile implements PartitionRows {

    private final Path path;
    private final String file;
    private final BackupManifest.Partition partition;

    PartitionFile(Path backupDir, BackupManifest.Partition partition) {
        if (partition.file() == null || partition.file().contains("..") || Path.of(partition.file()).isAbsolute()) {
            throw new IllegalArgumentException("backup manifest names partition file '" + partition.file()
                    + "' outside the backup");
        }
        this.path = backupDir.resolve(partition.file());
        this.file = partition.file();
        this.partition = partition;
    }

    String file() {
        return file;
    }

    /** Presence and size, before any byte is read. */
    void checkSize() {
        long size;
        try {
            // a link could point anywhere on this machine, and the errors below would tell its size and hash
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("backup file " + file + " is missing or not a regular file (" + path + ")");
            }
            size = Files.size(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("backup file " + file + " is missing (" + path + ")");
        }
        if (size != partition.bytes()) {
            throw new IllegalArgumentException("backup file " + file + " has " + size + " bytes, the manifest says "
                    + partition.bytes() + ": the file is truncated or altered");
        }
    }

    /**
     * Streams every row to {@code handler}, then checks the SHA-256 of the file's bytes and the row count;
     * a handler that wrote must be undone by the caller (its transaction rolls back on the exception).
     */
    @Override
    public void read(RowHandler handler) {
        scan(handler);
    }

    /**
     * The rows as tokens from one parser over the whole file (a JSON Lines file is a sequence of root
     * values), checked as {@link #read} checks them.
     */
    @Override
    public void readTokens(TokenHandler handler) {
        scan(in -> {
            long rows = 0;
            try (JsonParser p = Json.MAPPER.createParser(in)) {
                p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE); // the bytes after the last row are still digested
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t != JsonToken.START_OBJECT) {
                        throw new IllegalArgumentException("backup file " + file + " row " + (rows + 1) + " is not a JSON object");
                    }
                    rows++;
                    handler.row(p);
                }
            }
            return rows;
        });
    }

    /** Size, SHA-256 and row count, without reading the rows as JSON: a file whose rows are not compared. */
    void verify() {
        scan(PartitionFile::countLines);
    }

    /** Non-empty lines, as {@link BufferedReader#readLine} splits them, counted in the bytes (no text per line). */
    private static long countLines(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long rows = 0;
        boolean inLine = false;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b == '\n' || b == '\r') {
                    inLine = false;
                } else if (!inLine) {
                    inLine = true;
                    rows++;
                }
            }
        }
        return rows;
    }

    private void scan(RowHandler handler) {
        scan(in -> {
            long rows = 0;
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    continue;
                }
                JsonNode row = Json.MAPPER.readTree(line);
                if (!(row instanceof ObjectNode object)) {
                    throw new IllegalArgumentException("backup file " + file + " line " + (rows + 1)
                            + " is not a JSON object");
                }
                rows++;
                handler.row(object);
            }
            return rows;
        });
    }

    /** What reads the file's decompressed bytes; returns the rows it found. */
    @FunctionalInterface
    private interface Rows {
        long read(InputStream decompressed) throws IOException;
    }

    private void scan(Rows reading) {
        checkSize();
        MessageDigest digest = sha256();
        long rows;
        try (InputStream raw = Files.newInputStream(path);
             DigestInputStream digesting = new DigestInputStream(raw, digest)) {
            try {
                rows = reading.read(PartitionCompression.decompress(path, digesting));
            } catch (IOException e) {
                drain(digesting);
                requireChecksum(digest);
                throw new IllegalArgumentException("backup file " + file + " is not readable compressed JSON Lines: "
                        + e.getMessage(), e);
            }
            drain(digesting); // the digest covers every byte, also after the compressed stream's end
        } catch (IOException e) {
            throw new IllegalArgumentException("backup file " + file + " cannot be read: " + e.getMessage(), e);
        }
        requireChecksum(digest);
        if (rows != partition.rows()) {
            throw new IllegalArgumentException("backup file " + file + " holds " + rows + " rows, the manifest says "
                    + partition.rows());
        }
    }

    private void requireChecksum(MessageDigest digest) {
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(String.valueOf(partition.sha256()))) {
            throw new IllegalArgumentException("backup file " + file + " has SHA-256 " + actual + ", the manifest says "
                    + partition.sha256() + ": the file is corrupt");
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        while (in.read(buffer) >= 0) {
            // only the digest wants these bytes
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
