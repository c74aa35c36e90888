package io.tributary.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.TestSeed;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Files of several chunks, written by the pool, read back by the JDK's gzip reader (which checks CRC-32 and size). */
class ParallelGzipOutputStreamTest {

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** JSON-like lines, as compressible as a backup's, in writes of random sizes. */
    private static byte[] lines(Random random, int bytes) {
        StringBuilder b = new StringBuilder(bytes + 200);
        for (int i = 0; b.length() < bytes; i++) {
            b.append("{\"id\":").append(i).append(",\"name\":\"item-").append(random.nextInt(1000))
                    .append("\",\"amount\":").append(random.nextInt(100000)).append(".").append(random.nextInt(10)).append("}\n");
        }
        return b.substring(0, bytes).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] gzip(byte[] data, int level, Random random) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream out = new ParallelGzipOutputStream(file, pool, 2, level)) {
            for (int at = 0; at < data.length; ) {
                if (random.nextInt(10) == 0) {
                    out.write(data[at++]);
                } else {
                    int n = Math.min(data.length - at, random.nextInt(200_000));
                    out.write(data, at, n);
                    at += n;
                }
            }
        }
        return file.toByteArray();
    }

    private static byte[] gunzip(byte[] file) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(file))) {
            return in.readAllBytes();
        }
    }

    @Test
    void chunksInOrderAreOneGzipMemberOfTheSameBytes() throws IOException {
        Random random = seed.random();
        for (int size : new int[] {0, 1, ParallelGzipOutputStream.CHUNK, 3 * ParallelGzipOutputStream.CHUNK + 12345}) {
            byte[] data = lines(random, size);
            for (int level : new int[] {0, 1, 6}) {
                byte[] file = gzip(data, level, random);
                assertThat(gunzip(file)).as("size %d, level %d", size, level).isEqualTo(data);
                assertThat(file[0] & 0xff).isEqualTo(0x1f);
                assertThat(file[1] & 0xff).isEqualTo(0x8b);
                // one member: its trailer holds the size of all the data
                int n = file.length;
                assertThat((file[n - 4] & 0xff) | (file[n - 3] & 0xff) << 8 | (file[n - 2] & 0xff) << 16 | (file[n - 1] & 0xff) << 24)
                        .isEqualTo(size);
                if (level == 0) {
                    assertThat(file.length).isGreaterThan(size);
                } else if (size > 1000) {
                    assertThat(file.length).isLessThan(size / 2);
                }
            }
        }
    }
}
