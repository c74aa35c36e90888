package io.tributary.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A response body written while it is sent: {@code writer} runs on a thread of {@code pool} and its bytes
 * reach the HTTP server (which reads this stream as it sends) through a few chunks of {@link #CHUNK}
 * bytes, so however long the answer, memory holds those chunks only. A writer that fails ends the body
 * early: a client tells a complete body by what the writer puts last. A reader that stops reading for
 * {@code stall} (the client went away) makes the writer's next write fail, so it ends and lets go of what
 * it holds (a snapshot of the store).
 */
public final class StreamedBody extends InputStream {

    /** Writes the whole body; any exception ends it where it is. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws Exception;
    }

    static final int CHUNK = 64 * 1024;
    private static final byte[] END = new byte[0];
    private static final byte[] FAILED = new byte[0];

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4);
    private final long stallMillis;
    private volatile boolean closed;
    private byte[] current = new byte[0];
    private int offset;
    private boolean ended;

    private StreamedBody(long stallMillis) {
        this.stallMillis = stallMillis;
    }

    /** Starts {@code writer} on {@code pool}; the body it writes, to be read by the HTTP server. */
    public static StreamedBody start(ExecutorService pool, long stallMillis, Writer writer) {
        StreamedBody body = new StreamedBody(stallMillis);
        pool.execute(() -> {
            byte[] last = FAILED;
            try (OutputStream out = body.new ChunkOutput()) {
                writer.write(out);
                last = END;
            } catch (Exception e) {
                // the body ends early: the client sees no closing line
            } finally {
                body.offerLast(last);
            }
        });
        return body;
    }

    private void offerLast(byte[] marker) {
        try {
            chunks.offer(marker, stallMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (offset == current.length) {
            if (ended) {
                return -1;
            }
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("streamed body interrupted");
            }
            offset = 0;
            if (current == END) {
                ended = true;
            } else if (current == FAILED) {
                ended = true;
                throw new IOException("the body's writer failed");
            }
        }
        int n = Math.min(len, current.length - offset);
        System.arraycopy(current, offset, b, off, n);
        offset += n;
        return n;
    }

    /** The reader is done: the writer's next write fails. */
    @Override
    public void close() {
        closed = true;
        chunks.clear();
    }

    /** The writer's side: bytes gathered into chunks, each handed over when full. */
    private final class ChunkOutput extends OutputStream {
        private byte[] chunk = new byte[CHUNK];
        private int size;

        @Override
        public void write(int b) throws IOException {
            if (size == chunk.length) {
                flush();
            }
            chunk[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (size == chunk.length) {
                    flush();
                }
                int n = Math.min(len, chunk.length - size);
                System.arraycopy(b, off, chunk, size, n);
                size += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            if (size == 0) {
                return;
            }
            byte[] full = size == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, size);
            try {
                if (closed || !chunks.offer(full, stallMillis, TimeUnit.MILLISECONDS)) {
                    throw new IOException("the client stopped reading");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("streamed body interrupted");
            }
            chunk = new byte[CHUNK];
            size = 0;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
