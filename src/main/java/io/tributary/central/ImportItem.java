package io.tributary.central;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.json.Json;
import java.math.BigInteger;

/**
 * One document of an import body, or the reason it cannot be imported (decided before any SQL runs,
 * so a request with {@code complete=false} still commits the valid ones).
 *
 * <p>{@code raw} is the document's JSON text exactly as received when that is also exactly what must be
 * stored (no key generated, nothing removed or prefixed), else null. A document that was only scanned
 * (its key and version read, the rest skipped) has no tree until a write path asks for one: the
 * PostgreSQL bulk path never does, which saves building and writing back a tree per document.
 */
public final class ImportItem {

    private final int position;
    private final String key;
    private final String raw;
    private final int errorNum;
    private final String error;
    private ObjectNode document;
    /** The version under {@link #scannedAttribute}, read while scanning (null attribute: not scanned). */
    private final String scannedAttribute;
    private final BigInteger scannedVersion;

    private ImportItem(int position, ObjectNode document, String key, String raw, String scannedAttribute,
                       BigInteger scannedVersion, int errorNum, String error) {
        this.position = position;
        this.document = document;
        this.key = key;
        this.raw = raw;
        this.scannedAttribute = scannedAttribute;
        this.scannedVersion = scannedVersion;
        this.errorNum = errorNum;
        this.error = error;
    }

    static ImportItem document(int position, ObjectNode document, String key, String raw) {
        return new ImportItem(position, document, key, raw, null, null, 0, null);
    }

    /** A document known to be stored as received: {@code raw} is parsed only if a tree is needed. */
    static ImportItem scanned(int position, String key, String raw, String versionAttribute, BigInteger version) {
        return new ImportItem(position, null, key, raw, versionAttribute, version, 0, null);
    }

    static ImportItem failed(int position, int errorNum, String error) {
        return new ImportItem(position, null, null, null, null, null, errorNum, "at position " + position + ": " + error);
    }

    public int position() {
        return position;
    }

    public String key() {
        return key;
    }

    public String raw() {
        return raw;
    }

    public int errorNum() {
        return errorNum;
    }

    public String error() {
        return error;
    }

    public boolean isValid() {
        return error == null;
    }

    /** A failure's HTTP status when it fails a whole request: 409 for a taken key or a conflict, else 400. */
    int status() {
        return errorNum == ApiException.UNIQUE_CONSTRAINT_VIOLATED || errorNum == ApiException.CONFLICT ? 409 : 400;
    }

    public synchronized ObjectNode document() {
        if (document == null && raw != null) {
            try {
                document = (ObjectNode) Json.MAPPER.readTree(raw);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a scanned document no longer parses: " + e.getMessage(), e);
            }
        }
        return document;
    }

    /** The version under {@code attribute} ({@link DocumentJson#version}), without a tree when it was scanned. */
    public BigInteger version(String attribute) {
        if (attribute == null) {
            return null;
        }
        return attribute.equals(scannedAttribute) ? scannedVersion : DocumentJson.version(document(), attribute);
    }
}
