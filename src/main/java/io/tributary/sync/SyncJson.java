package io.tributary.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON reader of collection sync. Jackson refuses strings over 20,000,000 characters by default, but a
 * sync must read every document the store accepted (PostgreSQL stores far longer strings): without this,
 * a collection holding one such document could never be synced from again. Sizes stay bounded by the
 * requests themselves (pages, keys per request, {@code tributary.central.max-body-bytes} for bodies).
 */
final class SyncJson {

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS); // as DocumentJson: no digit is lost

    private SyncJson() {
    }
}
