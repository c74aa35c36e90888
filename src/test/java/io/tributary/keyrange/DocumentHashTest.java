package io.tributary.keyrange;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class DocumentHashTest {

    @Test
    void anUnversionedDocumentHashesByItsCanonicalForm() {
        // as H2/MariaDB keep it, and as PostgreSQL's JSONB rewrites it
        String written = "{\"b\":[1.50,{\"y\":1E+2,\"x\":\"\u00e9\\n\"}],\"a\":true,\"c\":null}";
        String jsonb = "{\"a\": true, \"b\": [1.5, {\"x\": \"\u00e9\\n\", \"y\": 100}], \"c\": null}";
        assertThat(DocumentHash.of("k1", null, written)).isEqualTo(DocumentHash.of("k1", null, jsonb));
        assertThat(DocumentHash.of("k1", null, written)).isNotEqualTo(DocumentHash.of("k1", null, jsonb.replace("1.5", "1.6")))
                .isNotEqualTo(DocumentHash.of("k2", null, written));
    }

    @Test
    void aVersionedDocumentHashesByKeyAndVersion() {
        BigInteger v = BigInteger.valueOf(42);
        assertThat(DocumentHash.of("k1", v, "{\"a\":1}")).isEqualTo(DocumentHash.of("k1", v, "{\"a\":2}"))
                .isNotEqualTo(DocumentHash.of("k1", BigInteger.valueOf(43), "{\"a\":1}"))
                .isNotEqualTo(DocumentHash.of("k2", v, "{\"a\":1}"))
                .isNotEqualTo(DocumentHash.of("k1", null, "{\"a\":1}"));
    }
}
