package io.tributary.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

/**
 * The product's one JSON mapper, for documents, requests, responses and JSON columns alike. Its only
 * derivative is the import parser, which adds the configured document limit ({@code DocumentLimit}).
 */
public final class Json {

    /**
     * Thread-safe once configured. Decimals are read as {@code BigDecimal} with every digit, trailing zeros
     * included ({@code 12345678901234567.123456789}, {@code 0.10}, {@code 100.0} pass through as written):
     * a double would drop digits, and Jackson's default stripping would write {@code 100.0} as {@code 1E+2}.
     * No string limit of its own: it reads what a store already holds, which the import's
     * {@code DocumentLimit} admitted, so a raised document limit never makes a stored document unreadable
     * (Jackson's default would refuse strings over 20,000,000 characters, which PostgreSQL stores).
     * A plain ObjectMapper, not a JsonMapper: only it can be {@code copyWith} a stricter factory.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private Json() {
    }
}
