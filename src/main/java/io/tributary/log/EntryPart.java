package io.tributary.log;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive entries of one transaction stored as one value (a row of {@code tributary_log_entries}):
 * one row and one compressed value per part instead of a row per entry keeps the log's share of a write
 * small next to the documents' own rows. The value is a Zstandard frame of, per entry: the operation
 * (1 byte: 0 put, 1 delete), collection and key ({@link DataOutputStream#writeUTF}), the version as decimal
 * text or an empty text, and for a put the document's UTF-8 bytes after their length (4 bytes).
 */
final class EntryPart {

    /** Entries per part, at most: a reader unpacks a whole part to serve any entry of it. */
    static final int MAX_ENTRIES = 1000;
    /** Document bytes per part before a new part starts (a part holds at least one entry). */
    static final int MAX_BYTES = 4 << 20;
    /** Fast: the part is written once on the write path and read by few. */
    private static final int LEVEL = 1;

    /** The changes from index {@code from} on, as many as one part holds; {@link #size} says how many. */
    static EntryPart pack(List<LogChange> changes, int from) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * Math.min(MAX_ENTRIES, changes.size() - from) + 64);
        DataOutputStream out = new DataOutputStream(bytes);
        int i = from;
        try {
            while (i < changes.size() && i - from < MAX_ENTRIES && (i == from || bytes.size() < MAX_BYTES)) {
                LogChange c = changes.get(i++);
                out.writeByte(c.isDelete() ? 1 : 0);
                out.writeUTF(c.collection());
                out.writeUTF(c.key());
                out.writeUTF(c.version() == null ? "" : c.version().toString());
                if (!c.isDelete()) {
                    byte[] doc = c.json().getBytes(StandardCharsets.UTF_8);
                    out.writeInt(doc.length);
                    out.write(doc);
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EntryPart(i - from, Zstd.compress(bytes.toByteArray(), LEVEL));
    }

    /**
     * The entries of a stored part whose first entry has tick {@code firstTick}, those with ticks in
     * {@code (after, upTo]}, all written at {@code time}.
     */
    static List<LogEntry> unpack(byte[] packed, long firstTick, int count, long after, long upTo, Instant time) {
        long size = Zstd.getFrameContentSize(packed);
        if (size < 0 || size > Integer.MAX_VALUE) {
            throw new IllegalStateException("a change log part starting at tick " + firstTick + " is not readable");
        }
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(Zstd.decompress(packed, (int) size)));
        List<LogEntry> entries = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                long tick = firstTick + i;
                boolean delete = in.readByte() == 1;
                String collection = in.readUTF();
                String key = in.readUTF();
                String version = in.readUTF();
                String json = null;
                if (!delete) {
                    int length = in.readInt();
                    if (tick > after && tick <= upTo) {
                        json = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                    } else {
                        in.skipNBytes(length);
                    }
                }
                if (tick > after && tick <= upTo) {
                    entries.add(new LogEntry(tick, collection, key, version.isEmpty() ? null : new BigInteger(version),
                            delete ? LogEntry.DELETE : LogEntry.PUT, json, time));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("a change log part starting at tick " + firstTick + " is cut short", e);
        }
        return entries;
    }

    private final int size;
    private final byte[] packed;

    private EntryPart(int size, byte[] packed) {
        this.size = size;
        this.packed = packed;
    }

    /** How many entries the part holds. */
    int size() {
        return size;
    }

    byte[] packed() {
        return packed;
    }
}
