package io.tributary.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.AbstractList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A part's entries come back as they were packed, and a part is cut at its limits whatever the transaction's size. */
class EntryPartTest {

    @Test
    void entriesComeBackAsPacked() {
        BigInteger big = new BigInteger("99999999999999999999999999999999999999");
        List<LogChange> changes = List.of(
                LogChange.put("c\u00e9", "k\u0000\uD83D\uDE00", big, "{\"x\":\"\uD83D\uDE00\u00e9\"}"),
                LogChange.put("c", "neg", big.negate(), "{}"),
                LogChange.delete("c", "gone"));
        EntryPart part = EntryPart.pack(changes, 0);
        assertThat(part.size()).isEqualTo(3);
        Instant time = Instant.parse("2026-12-01T00:00:00Z");
        List<LogEntry> read = EntryPart.unpack(part.packed(), 10, 3, 9, 12, time);
        assertThat(read).extracting(LogEntry::tick).containsExactly(10L, 11L, 12L);
        assertThat(read.get(0).collection()).isEqualTo("c\u00e9");
        assertThat(read.get(0).key()).isEqualTo("k\u0000\uD83D\uDE00");
        assertThat(read.get(0).version()).isEqualTo(big);
        assertThat(read.get(0).json()).isEqualTo("{\"x\":\"\uD83D\uDE00\u00e9\"}");
        assertThat(read.get(1).version()).isEqualTo(big.negate());
        assertThat(read.get(2).op()).isEqualTo(LogEntry.DELETE);
        assertThat(read.get(2).json()).isNull();
        assertThat(EntryPart.unpack(part.packed(), 10, 3, 10, 11, time)).extracting(LogEntry::key).containsExactly("neg");
    }

    /** A transaction of millions of entries (an overwrite that deletes a large collection) is packed a part at a time. */
    @Test
    void aPartOfAHugeTransactionHoldsAtMostItsLimit() {
        LogChange delete = LogChange.delete("c", "k");
        List<LogChange> changes = new AbstractList<>() {
            @Override
            public LogChange get(int index) {
                return delete;
            }

            @Override
            public int size() {
                return 9_000_000;
            }
        };
        assertThat(EntryPart.pack(changes, 0).size()).isEqualTo(EntryPart.MAX_ENTRIES);
        assertThat(EntryPart.pack(changes, changes.size() - 3).size()).isEqualTo(3);
    }
}
