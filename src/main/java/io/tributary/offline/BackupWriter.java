package io.tributary.offline;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/**
 * Writes one backup (docs/offline.md): partition files into {@code <root>/.<name>.partial/}, then the
 * manifest, then renames the directory to {@code <root>/<name>} in one step, after everything is on disk.
 * A backup that fails or is cancelled leaves nothing: its partial directory is deleted, and one left by a
 * crash is deleted by the next backup of that name. So a directory {@code <name>} is always complete.
 */
final class BackupWriter implements AutoCloseable {

    /** Opens a partition file for writing; tests put a failing disk here. */
    @FunctionalInterface
    interface Disk {
        OutputStream create(Path file) throws IOException;
    }

    static final Disk LOCAL = file -> Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    /** The mapper's writer, without its flush after every value (the file is flushed when closed). */
    private static final ObjectWriter ROW_WRITER = Json.MAPPER.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private final Path root;
    private final String name;
    private final Path partial;
    private final Disk disk;
    private final PartitionCompression compressor;
    private final int level;
    /** Where gzip'd partition files are compressed, {@code threads} at once; null: on the writing thread. */
    private final ExecutorService compression;
    private final int threads;
    private final FileChannel lockFile;
    private final ArrayNode partitions = Json.MAPPER.createArrayNode();
    private final List<PartitionOutput> outputs = new ArrayList<>();
    private boolean completed;

    /** {@code threads}: the cores one partition file's compression may use. */
    BackupWriter(Path root, String name, PartitionCompression compressor, int level, Disk disk, ExecutorService compression,
                 int threads) {
        this.compression = compression;
        this.threads = threads;
        this.root = root;
        this.name = name;
        this.compressor = compressor;
        this.level = level;
        this.partial = root.resolve("." + name + ".partial");
        this.disk = disk;
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("backup directory " + root.toAbsolutePath().normalize()
                    + " does not exist: create it first (tributary.backup.directory or --directory)");
        }
        this.lockFile = lock(root, name);
        try {
            if (Files.exists(root.resolve(name))) {
                throw new IllegalArgumentException("a backup named '" + name + "' exists already in "
                        + root.toAbsolutePath().normalize() + ": choose another name or remove it");
            }
            deleteTree(partial); // left by a crash (the lock says no one writes it): never a backup, so never kept
            Files.createDirectories(partial.resolve("partitions"));
        } catch (IOException | RuntimeException e) {
            unlock();
            if (e instanceof AccessDeniedException) {
                throw new IllegalArgumentException("backup directory " + root.toAbsolutePath().normalize() + " is not writable", e);
            }
            throw e instanceof IOException io ? failed("cannot create " + partial, io) : (RuntimeException) e;
        }
    }

    /**
     * {@code <root>/.<name>.lock}, held while the backup is written: a second writer of the name (another
     * process, or another node on a shared directory) is refused instead of deleting this one's files.
     */
    private static FileChannel lock(Path root, String name) {
        Path file = root.resolve("." + name + ".lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                channel.close();
                throw new IllegalArgumentException("a backup named '" + name + "' is being written in "
                        + root.toAbsolutePath().normalize() + " by another process");
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new IllegalArgumentException("a backup named '" + name + "' is being written in "
                    + root.toAbsolutePath().normalize() + " by this process", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("backup directory " + root.toAbsolutePath().normalize() + " is not writable", e);
        } catch (IOException e) {
            throw new IllegalStateException("backup '" + name + "' not started: cannot lock " + file + ": " + reason(e), e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing releases the lock; nothing else to do
            }
        }
    }

    private void unlock() {
        closeQuietly(lockFile);
    }

    /** The next partition's file; its rows are written with {@link PartitionOutput#write}, then it is closed. */
    PartitionOutput partition(String partitionName, JsonNode bounds) {
        String file = String.format("partitions/p-%06d", outputs.size() + 1) + compressor.suffix;
        // listed in the manifest when complete (PartitionOutput#close), in the order they are completed
        ObjectNode entry = Json.MAPPER.createObjectNode().put("name", partitionName).put("file", file);
        entry.set("bounds", bounds);
        try {
            PartitionOutput out = new PartitionOutput(partial.resolve(file), entry, disk);
            outputs.add(out);
            return out;
        } catch (IOException e) {
            throw failed("cannot create " + partial.resolve(file), e);
        }
    }

    /** Drops every partition file opened so far, written or not: the backup starts its partitions again. */
    void discardPartitions() {
        for (PartitionOutput out : outputs) {
            out.abandon();
        }
        outputs.clear();
        partitions.removeAll();
        try {
            deleteTree(partial.resolve("partitions"));
            Files.createDirectories(partial.resolve("partitions"));
        } catch (IOException e) {
            throw failed("cannot empty " + partial.resolve("partitions"), e);
        }
    }

    /** Writes the manifest with the partitions written, syncs everything to disk and puts the backup in place. */
    Path complete(ObjectNode manifest) {
        manifest.set("partitions", partitions);
        Path target = root.resolve(name);
        try {
            Path file = partial.resolve(BackupManifest.FILE);
            try (OutputStream out = disk.create(file)) {
                out.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            }
            for (Path p : new Path[] {file, partial.resolve("partitions"), partial}) {
                force(p);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            force(root);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("a backup named '" + name + "' appeared in " + root + " meanwhile", e);
        } catch (IOException e) {
            throw failed("cannot complete " + target, e);
        }
        completed = true;
        return target;
    }

    @Override
    public void close() {
        try {
            if (!completed) {
                for (PartitionOutput out : outputs) {
                    out.abandon();
                }
                try {
                    deleteTree(partial);
                } catch (IOException e) {
                    // the next backup of this name deletes it; a partial directory is never read as a backup
                }
            }
        } finally {
            unlock();
        }
    }

    private IllegalStateException failed(String what, IOException e) {
        return new IllegalStateException("backup '" + name + "' not completed: " + what + ": " + reason(e), e);
    }

    static String reason(IOException e) {
        return e instanceof NoSuchFileException ? "no such file or directory " + e.getMessage()
                : e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** fsync of a file or directory, so the rename publishes only what is on disk. */
    private static void force(Path p) throws IOException {
        try (FileChannel channel = FileChannel.open(p, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** One partition file: compressed JSON Lines, its rows, bytes and SHA-256 counted as written. */
    final class PartitionOutput implements BackupSource.RowOutput, AutoCloseable {

        private final Path file;
        private final ObjectNode entry;
        private final MessageDigest sha256 = PartitionFile.sha256();
        private final Counting counted;
        private final OutputStream compressed;
        private final OutputStream out;
        /** One generator for the file: a new one per row (writeValueAsBytes) cost more than the row's encoding. */
        private final JsonGenerator json;
        private long rows;

        private PartitionOutput(Path file, ObjectNode entry, Disk disk) throws IOException {
            this.file = file;
            this.entry = entry;
            this.counted = new Counting(new DigestOutputStream(disk.create(file), sha256));
            this.compressed = compressor.compress(counted, level, compression, threads);
            this.out = new BufferedOutputStream(compressed, 65536);
            this.json = Json.MAPPER.createGenerator(out, JsonEncoding.UTF8);
            // the generator's flush (before raw lines) empties its buffer only: a flush of the compressor
            // would end its block, and zstd's workers would wait for it every 64 KiB
            json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
            json.setRootValueSeparator(null); // rows are separated by '\n', written below, not by Jackson's space
        }

        @Override
        public void write(ObjectNode row) {
            try {
                ROW_WRITER.writeValue(json, row);
                json.writeRaw('\n');
                rows++;
            } catch (IOException e) {
                throw failed("cannot write " + file, e);
            }
        }

        @Override
        public void write(BackupSource.RowFields fields) {
            try {
                json.writeStartObject();
                fields.write(json);
                json.writeEndObject();
                json.writeRaw('\n');
                rows++;
            } catch (IOException e) {
                throw failed("cannot write " + file, e);
            }
        }

        @Override
        public void writeLines(byte[] lines, int offset, int length, int count) {
            try {
                json.flush();
                out.write(lines, offset, length);
                rows += count;
            } catch (IOException e) {
                throw failed("cannot write " + file, e);
            }
        }

        long rows() {
            return rows;
        }

        /** Closes the file of a backup that will not complete; its content no longer matters. */
        void abandon() {
            try {
                if (compressed instanceof ParallelGzipOutputStream parallel) {
                    parallel.abandon();
                    return;
                }
                json.flush();
                out.close();
            } catch (IOException | RuntimeException e) {
                // the partial directory is deleted next
            }
        }

        @Override
        public void close() {
            try {
                json.flush();
                out.close();
            } catch (IOException e) {
                throw failed("cannot write " + file, e);
            }
            entry.put("rows", rows).put("bytes", counted.count).put("sha256", HexFormat.of().formatHex(sha256.digest()));
            partitions.add(entry);
        }

        /** The file as it stands in the manifest. */
        ObjectNode entry() {
            return entry;
        }
    }

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

}
