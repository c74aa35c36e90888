package io.tributary.keyrange;

import java.math.BigInteger;

/** One row as it travels from source to target: key, version column (may be null) and document text. */
public record VersionedDocument(String key, BigInteger version, String json) {

    public String hash() {
        return DocumentHash.of(key, version, json);
    }
}
