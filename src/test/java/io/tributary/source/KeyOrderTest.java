package io.tributary.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.testing.TestSeed;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KeyOrderTest {

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    @Test
    void numericPositionsSortLikeNumbersAndDecode() {
        List<Long> keys = new ArrayList<>(List.of(0L, 1L, 9L, 10L, 99L, 100L, 123456789012L, Long.MAX_VALUE));
        List<String> positions = keys.stream().map(k -> KeyOrder.NUMERIC.encode(Long.toString(k))).sorted().toList();
        assertThat(positions.stream().map(KeyOrder.NUMERIC::decode).map(Long::parseLong).toList()).isEqualTo(keys);
        assertThat(KeyOrder.NUMERIC.encode("42")).isEqualTo("00000000000000000042");
        assertThatThrownBy(() -> KeyOrder.NUMERIC.encode("-1")).hasMessageContaining("Negative key");
    }

    @Test
    void lengthThenLexicalPositionsSortLikeTheSeedsKeyCompare() {
        Random random = seed.random();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            StringBuilder key = new StringBuilder();
            for (int n = random.nextInt(12) + 1; n > 0; n--) {
                key.append("09AZaz_-:".charAt(random.nextInt(9)));
            }
            keys.add(key.toString());
        }
        Comparator<String> seed = (l, r) -> l.length() != r.length() ? Integer.compare(l.length(), r.length()) : l.compareTo(r);
        List<String> bySeed = keys.stream().sorted(seed).toList();
        List<String> byPosition = keys.stream().map(KeyOrder.LENGTH_THEN_LEXICAL::encode).sorted()
                .map(KeyOrder.LENGTH_THEN_LEXICAL::decode).toList();
        assertThat(byPosition).isEqualTo(bySeed);
        assertThat(KeyOrder.LENGTH_THEN_LEXICAL.encode("a:b")).isEqualTo("00003:a:b");
        assertThat(KeyOrder.LENGTH_THEN_LEXICAL.decode("00003:a:b")).isEqualTo("a:b");
    }

    @Test
    void timestampPositionsSortByTimeThenKeyAndDecode() {
        LocalDateTime t = LocalDateTime.of(2026, 3, 1, 12, 0, 0, 123_456_000);
        Watermark earlier = new Watermark("99", t);
        Watermark later = new Watermark("5", t.plusNanos(1000));
        Watermark sameTimeHigherKey = new Watermark("100", t);
        assertThat(earlier.position(KeyOrder.NUMERIC)).isLessThan(sameTimeHigherKey.position(KeyOrder.NUMERIC));
        assertThat(sameTimeHigherKey.position(KeyOrder.NUMERIC)).isLessThan(later.position(KeyOrder.NUMERIC));
        assertThat(Watermark.fromPosition(later.position(KeyOrder.NUMERIC), KeyOrder.NUMERIC, CaptureMode.TIMESTAMP)).isEqualTo(later);
    }

    @Test
    void parametersAreParsedStrictly() {
        assertThat(KeyOrder.parse("auto")).isNull();
        assertThat(KeyOrder.parse("length-then-lexical")).isEqualTo(KeyOrder.LENGTH_THEN_LEXICAL);
        assertThat(CaptureMode.parse("change-table")).isEqualTo(CaptureMode.CHANGE_TABLE);
        assertThatThrownBy(() -> KeyOrder.parse("alphabetic")).hasMessageContaining("keyOrder");
        assertThatThrownBy(() -> CaptureMode.parse("cdc")).hasMessageContaining("change-table, incrementing or timestamp");
    }
}
