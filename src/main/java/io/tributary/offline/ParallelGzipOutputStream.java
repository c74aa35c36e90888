package io.tributary.offline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip file (one member, RFC 1952, as {@link java.util.zip.GZIPOutputStream} writes it) whose deflate
 * work runs on a pool, as {@code pigz} does: the data is cut into chunks, each compressed on its own and
 * ended on a byte boundary (a sync flush), the last one finished; in order, they are one deflate stream.
 * Deflate was half of a backup's time on one thread. Memory holds a few chunks, whatever the file's size;
 * each chunk loses the previous one as a dictionary, which costs well under a percent of the size.
 * The JDK has no parallel deflate, and the one library for it on Maven Central
 * ({@code org.anarres:parallelgzip} 1.0.5) fixes the level at 6, several times slower than a backup's default 1.
 */
final class ParallelGzipOutputStream extends OutputStream {

    /** Uncompressed bytes per task. */
    static final int CHUNK = 1 << 20;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, 0};

    private final OutputStream out;
    private final ExecutorService pool;
    private final int level;
    private final int inFlight;
    private final CRC32 crc = new CRC32();
    private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
    private byte[] chunk = new byte[CHUNK];
    private int length;
    private long total;
    private boolean closed;

    /** @param threads the pool's threads: that many chunks (and one more) are compressed at once */
    ParallelGzipOutputStream(OutputStream out, ExecutorService pool, int threads, int level) throws IOException {
        this.out = out;
        this.pool = pool;
        this.level = level;
        this.inFlight = threads + 1;
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        if (length == chunk.length) {
            submit(false);
        }
        chunk[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (length == chunk.length) {
                submit(false);
            }
            int n = Math.min(len, chunk.length - length);
            System.arraycopy(b, off, chunk, length, n);
            length += n;
            off += n;
            len -= n;
        }
    }

    private void submit(boolean last) throws IOException {
        byte[] data = chunk;
        int n = length;
        crc.update(data, 0, n);
        total += n;
        pending.add(pool.submit(() -> deflate(data, n, last)));
        chunk = last ? null : new byte[CHUNK];
        length = 0;
        while (pending.size() > (last ? 0 : inFlight)) {
            writeNext();
        }
    }

    private void writeNext() throws IOException {
        Future<byte[]> next = pending.poll();
        try {
            out.write(next.get());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("deflate failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compressing", e);
        }
    }

    private byte[] deflate(byte[] data, int n, boolean last) {
        Deflater deflater = new Deflater(level, true);
        try {
            deflater.setInput(data, 0, n);
            ByteArrayOutputStream compressed = new ByteArrayOutputStream(n / 3 + 64);
            byte[] buffer = new byte[1 << 16];
            if (last) {
                deflater.finish();
                while (!deflater.finished()) {
                    compressed.write(buffer, 0, deflater.deflate(buffer));
                }
            } else {
                // a full buffer may hold more: the flush goes on until it returns less
                int written;
                do {
                    written = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                    compressed.write(buffer, 0, written);
                } while (written == buffer.length);
            }
            return compressed.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** Writes the last chunk and the trailer (CRC-32 and size of the data), then closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            submit(true);
            int c = (int) crc.getValue();
            int size = (int) total;
            out.write(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                    (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)});
        } finally {
            abandon();
        }
    }

    /** Stops the compression of a file that will not be completed, and closes it. */
    void abandon() throws IOException {
        closed = true;
        pending.forEach(f -> f.cancel(true));
        pending.clear();
        out.close();
    }
}
