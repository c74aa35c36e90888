package io.tributary.offline;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.tributary.http.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How a backup's partition files are compressed; the file name's suffix says which, so a reader needs
 * nothing but the name ({@code zstd -dc}, {@code zcat}). Zstandard by default: at its level 1 it takes about
 * a quarter of the CPU time of gzip's level 1 for a file a third smaller (docs/offline.md, "Why zstd").
 */
public enum PartitionCompression {

    ZSTD("zstd", ".jsonl.zst", 1, 19, 1, false) {
        @Override
        OutputStream compress(OutputStream out, int level, ExecutorService pool, int threads) throws IOException {
            ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, level);
            // zstd's own worker threads, as the command line's -T: memory holds a few jobs, whatever the file's
            // size. Two keep up with the one thread that encodes the rows (at level 1, each compresses several
            // times faster than the rows are encoded); more would only multiply threads and memory when a
            // backup has many files open at once
            if (threads > 1) {
                zstd.setWorkers(Math.min(threads, 2));
            }
            zstd.setChecksum(true);
            return zstd;
        }

        @Override
        InputStream decompress(InputStream in) throws IOException {
            return new ZstdInputStreamNoFinalizer(in);
        }
    },

    GZIP("gzip", ".jsonl.gz", 0, 9, 1, true) {
        @Override
        OutputStream compress(OutputStream out, int level, ExecutorService pool, int threads) throws IOException {
            if (pool == null) {
                return new GZIPOutputStream(out, 65536) {
                    {
                        def.setLevel(level);
                    }
                };
            }
            return new ParallelGzipOutputStream(out, pool, threads, level);
        }

        @Override
        InputStream decompress(InputStream in) throws IOException {
            return new GZIPInputStream(in, 1 << 16);
        }
    };

    static final PartitionCompression DEFAULT = ZSTD;

    final String shown;
    final String suffix;
    final int minLevel;
    final int maxLevel;
    final int defaultLevel;
    /** Whether {@link #compress} works on a pool of the caller's (gzip's chunks); zstd runs workers of its own. */
    final boolean pooled;

    PartitionCompression(String shown, String suffix, int minLevel, int maxLevel, int defaultLevel, boolean pooled) {
        this.shown = shown;
        this.suffix = suffix;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
        this.pooled = pooled;
    }

    /**
     * The file's compressor, writing to {@code out}. {@code pool} (may be null) and {@code threads}: how many
     * cores it may use.
     */
    abstract OutputStream compress(OutputStream out, int level, ExecutorService pool, int threads) throws IOException;

    abstract InputStream decompress(InputStream in) throws IOException;

    /** The {@code compression} of a backup request. */
    static PartitionCompression named(String name) {
        for (PartitionCompression c : values()) {
            if (c.shown.equals(name.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw ApiException.badParameter("'compression' must be one of " + Arrays.stream(values()).map(c -> c.shown).toList()
                + ", got '" + ApiException.printable(name) + "'");
    }

    /** The compression of a partition file, by its name's suffix; null if it has neither. */
    private static PartitionCompression ofFile(String file) {
        for (PartitionCompression c : values()) {
            if (file.endsWith(c.suffix)) {
                return c;
            }
        }
        return null;
    }

    /** A partition file's decompressed bytes (its JSON Lines), by its name's suffix. */
    public static InputStream open(Path file) throws IOException {
        return decompress(file, Files.newInputStream(file));
    }

    /** {@code raw}, the bytes of the partition file {@code file}, decompressed as its name's suffix says. */
    public static InputStream decompress(Path file, InputStream raw) throws IOException {
        PartitionCompression c = ofFile(file.getFileName().toString());
        if (c == null) {
            throw new IllegalArgumentException(file + " is not a partition file (*.jsonl.zst or *.jsonl.gz)");
        }
        return c.decompress(raw);
    }

    /** What the level means here, for an error message. */
    String levels() {
        return this == GZIP ? "0 (stored, no compression) to 9" : minLevel + " to " + maxLevel;
    }
}
