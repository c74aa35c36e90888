package io.tributary.central;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.http.ApiException;
import io.tributary.json.Json;

/**
 * The one limit on what a document may be: its JSON text as received, at most {@code maxBytes} bytes
 * ({@code tributary.central.max-document-bytes}). A string lies inside a document, so it is bounded by
 * the same number; the parser's own string limit is set to it too, so no second, hidden limit exists.
 * The import parser also refuses duplicate attribute names, as ArangoDB's VelocyPack parser does.
 */
public final class DocumentLimit {

    /**
     * 8 MiB: MariaDB's default {@code max_allowed_packet} (16 MiB) must hold the statement carrying the
     * document, and Jackson's default string limit (20,000,000 characters), which readers of the
     * collection (collection sync among them) use, must never be reached by a stored document.
     */
    public static final long DEFAULT_MAX_BYTES = 8L * 1024 * 1024;

    private final long maxBytes;
    private final ObjectMapper mapper;

    public DocumentLimit(long maxBytes) {
        if (maxBytes < 1024 || maxBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tributary.central.max-document-bytes must be between 1024 and "
                    + Integer.MAX_VALUE + ", got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        // the one mapper's number handling; only the import is bounded by the configured limit and refuses duplicates
        JsonFactory json = Json.MAPPER.getFactory();
        this.mapper = Json.MAPPER.copyWith(json.rebuild()
                .streamReadConstraints(json.streamReadConstraints().rebuild().maxStringLength((int) maxBytes).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build());
    }

    /** The import parser: this limit's string bound, duplicate attribute names refused. */
    ObjectMapper mapper() {
        return mapper;
    }

    /** 400 with ArangoDB's "document too large" (1216) unless {@code bytes} fits; nothing of the request is written. */
    void check(long bytes, String where) {
        if (bytes > maxBytes) {
            throw tooLarge(where + " is " + bytes + " bytes");
        }
    }

    ApiException tooLarge(String detail) {
        return new ApiException(400, ApiException.DOCUMENT_TOO_LARGE, "document too large: " + detail
                + ", the limit is " + maxBytes + " bytes (tributary.central.max-document-bytes); nothing was imported");
    }
}
