package io.tributary.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.source.KeyGaps.Gap;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import io.tributary.testing.TestDatabase;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The gap table's bookkeeping: every key that may still appear stays in exactly one gap until it is found or given up. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyGapsTest {

    private static final Instant SEEN = Instant.parse("2026-11-30T10:00:00Z");

    private TestDatabase db;

    @BeforeAll
    void create() {
        db = TestDatabase.create(Dialect.H2, "gaps");
    }

    @AfterAll
    void drop() {
        db.close();
    }

    private KeyGaps gaps(String sourceId) {
        KeyGaps gaps = new KeyGaps(db.dataSource(), "tributary_status", sourceId);
        gaps.createIfMissing();
        return gaps;
    }

    /** In one transaction, as the checkpoint does it. */
    private void update(KeyGaps gaps, List<Gap> seen, List<Long> found) {
        new Jdbc(db.dataSource()).transaction("gap update", tx -> {
            gaps.update(seen, found);
            return null;
        });
    }

    private static List<String> ranges(List<Gap> gaps) {
        return gaps.stream().map(Gap::toString).toList();
    }

    @Test
    void foundKeysSplitTheirGapAndTheRestStaysOpen() throws SQLException {
        KeyGaps gaps = gaps("split");
        update(gaps, List.of(new Gap(11352, 11360, SEEN), new Gap(20, 20, SEEN)), List.of());
        update(gaps, List.of(), List.of(11357L, 11358L, 11359L, 11360L, 20L));
        assertThat(ranges(gaps.open())).containsExactly("11352..11356");
        update(gaps, List.of(), List.of(11354L));
        assertThat(ranges(gaps.open())).containsExactly("11352..11353", "11355..11356");
        assertThat(gaps.open().get(0).seenAt()).as("a split keeps the time the gap was seen").isEqualTo(SEEN);
    }

    @Test
    void aReplayedCheckpointOrAnOverlappingReadingStoresNoKeyTwice() throws SQLException {
        KeyGaps gaps = gaps("overlap");
        update(gaps, List.of(new Gap(43, 50, SEEN)), List.of());
        update(gaps, List.of(new Gap(43, 50, SEEN)), List.of()); // the same checkpoint again
        update(gaps, List.of(new Gap(40, 55, SEEN.plusSeconds(5))), List.of()); // a wider reading of the same keys
        assertThat(ranges(gaps.open())).containsExactly("40..42", "43..50", "51..55");
        update(gaps, List.of(), List.of(45L, 45L)); // found twice: the second finds nothing left to take out
        assertThat(ranges(gaps.open())).containsExactly("40..42", "43..44", "46..50", "51..55");
    }

    @Test
    void givenUpGapsStayReadableAndAFoundKeyKeepsThemGivenUp() throws SQLException {
        KeyGaps gaps = gaps("givenup");
        update(gaps, List.of(new Gap(5, 9, SEEN)), List.of());
        gaps.giveUp(gaps.open(), SEEN.plusSeconds(60));
        assertThat(gaps.open()).isEmpty();
        assertThat(gaps.givenUp()).isEqualTo(1);
        assertThat(ranges(gaps.givenUpSince(SEEN))).containsExactly("5..9");
        update(gaps, List.of(), List.of(7L)); // a cached key that came late
        assertThat(ranges(gaps.givenUpSince(SEEN))).containsExactly("5..6", "8..9");
        assertThat(gaps.open()).isEmpty();
        gaps.purgeGivenUpBefore(SEEN.plusSeconds(61));
        assertThat(gaps.givenUpSince(SEEN)).isEmpty();
    }
}
