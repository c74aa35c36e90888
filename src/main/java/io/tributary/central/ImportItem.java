package io.tributary.central;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One document of an import body, or the reason it cannot be imported (decided before any SQL runs,
 * so a request with {@code complete=false} still commits the valid ones). {@code raw} is the
 * document's JSON text exactly as received when it is also exactly what must be stored (no key
 * generated, nothing removed or prefixed), else null: the write path can then skip serializing the tree.
 */
public record ImportItem(int position, ObjectNode document, String key, String raw, int errorNum, String error) {

    static ImportItem document(int position, ObjectNode document, String key, String raw) {
        return new ImportItem(position, document, key, raw, 0, null);
    }

    static ImportItem failed(int position, int errorNum, String error) {
        return new ImportItem(position, null, null, null, errorNum, "at position " + position + ": " + error);
    }

    public boolean isValid() {
        return error == null;
    }
}
