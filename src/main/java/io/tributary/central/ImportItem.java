package io.tributary.central;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One document of an import body, or the reason it cannot be imported (decided before any SQL runs,
 * so a request with {@code complete=false} still commits the valid ones).
 */
public record ImportItem(int position, ObjectNode document, String key, int errorNum, String error) {

    static ImportItem document(int position, ObjectNode document, String key) {
        return new ImportItem(position, document, key, 0, null);
    }

    static ImportItem failed(int position, int errorNum, String error) {
        return new ImportItem(position, null, null, errorNum, "at position " + position + ": " + error);
    }

    public boolean isValid() {
        return error == null;
    }
}
