package io.tributary.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.testing.TestSeed;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The canonical texts of timestamps, written by hand, are those of java.time's formatters. */
class SqlColumnTest {

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    @Test
    void timestampsAreWrittenAsTheIsoFormattersWriteThem() {
        Random random = seed.random();
        int[] nanos = {0, 1, 10, 100_000, 120_000_000, 123_000, 123_456_000, 123_456_789, 500_000_000, 999_999_999};
        for (int i = 0; i < 20_000; i++) {
            LocalDateTime t = LocalDateTime.of(random.nextInt(10_000), 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60),
                    i % 2 == 0 ? nanos[random.nextInt(nanos.length)] : random.nextInt(1_000_000_000));
            assertEquals(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t), SqlColumn.canonical(t));
            OffsetDateTime z = t.atOffset(ZoneOffset.ofHours(random.nextInt(25) - 12));
            assertEquals(z.toInstant().toString(), SqlColumn.canonical(z));
        }
        // outside four-digit years the formatters write the text themselves
        LocalDateTime far = LocalDateTime.of(12_345, 6, 7, 8, 9, 10);
        assertEquals("+12345-06-07T08:09:10", SqlColumn.canonical(far));
        assertEquals("0000-01-01T00:00:00Z", SqlColumn.canonical(LocalDateTime.of(0, 1, 1, 0, 0).atOffset(ZoneOffset.UTC)));
    }
}
