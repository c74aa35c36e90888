package io.tributary.twoway;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

/**
 * A row's last-change timestamp and content hash as one central {@code _version}, so that the central
 * store's versioned upsert (a higher version wins) is exactly two-way sync's rule: a later time wins, and at
 * the same time the larger content hash. {@code _version = micros * 10^20 + hash}, where {@code micros} are the
 * microseconds since 1970-01-01T00:00 of the timestamp read as a local time (no zone is applied: both sides
 * must write their timestamps in the same zone) and {@code hash} is the content hash's 16 hex digits as an
 * unsigned number (below 10^20). It fits the store's DECIMAL(38,0) until the year 5138.
 */
public final class TwoWayVersion {

    static final BigInteger SHIFT = BigInteger.TEN.pow(20);

    private TwoWayVersion() {
    }

    public static BigInteger of(LocalDateTime time, String hash16) {
        return BigInteger.valueOf(micros(time)).multiply(SHIFT).add(new BigInteger(hash16, 16));
    }

    /** The version of a document written by someone else than two-way sync: its content hashed as the SQL side does. */
    public static BigInteger of(LocalDateTime time, JsonNode document, List<String> contentAttributes) {
        return of(time, contentHash(document, contentAttributes));
    }

    static long micros(LocalDateTime time) {
        return ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), time);
    }

    static LocalDateTime time(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000,
                ZoneOffset.UTC);
    }

    static LocalDateTime timeOf(BigInteger version) {
        return time(version.divide(SHIFT).longValueExact());
    }

    static String hashOf(BigInteger version) {
        return String.format("%016x", version.mod(SHIFT));
    }

    /** The lowest version of a time: every version of a later row is above it. */
    static BigInteger lowest(long micros) {
        return BigInteger.valueOf(micros).multiply(SHIFT);
    }

    /** The highest version of a time. */
    static BigInteger highest(long micros) {
        return lowest(micros).add(SHIFT).subtract(BigInteger.ONE);
    }

    /**
     * The content hash of {@code io.tributary.sql.NewerWinsUpsert#contentHash} for a document: each attribute
     * (in the given, sorted, order) as {@code <length>:<text>} or {@code -} for null, joined by {@code |}, MD5,
     * first 16 hex digits. Text is the string itself, a number's plain decimal form (keep a decimal column's
     * scale: 12.50, not 12.5), {@code true}/{@code false}.
     */
    static String contentHash(JsonNode document, List<String> attributes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < attributes.size(); i++) {
            if (i > 0) {
                text.append('|');
            }
            JsonNode v = document.get(attributes.get(i));
            if (v == null || v.isNull()) {
                text.append('-');
            } else {
                String s = v.isNumber() ? v.decimalValue().toPlainString() : v.asText();
                text.append(s.codePointCount(0, s.length())).append(':').append(s);
            }
        }
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
