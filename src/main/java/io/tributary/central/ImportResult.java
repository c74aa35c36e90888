package io.tributary.central;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The counters ArangoDB answers an import with, plus the per-document error texts ({@code details}). */
public final class ImportResult {

    int created;
    int empty;
    int updated;
    int ignored;
    /**
     * Every per-document failure, in the order found; a document write answers each by its position, and
     * with {@code complete=true} the first decides the status (409 or 400).
     */
    final List<ImportItem> failures = new ArrayList<>();

    /** With {@link ImportRequest#readBack}: the written documents by key, as the write's transaction left them. */
    final Map<String, ObjectNode> stored = new HashMap<>();

    void fail(ImportItem item) {
        failures.add(item);
    }

    public int created() {
        return created;
    }

    public int errors() {
        return failures.size();
    }

    public int empty() {
        return empty;
    }

    public int updated() {
        return updated;
    }

    public int ignored() {
        return ignored;
    }

    public List<ImportItem> failures() {
        return failures;
    }

    public Map<String, ObjectNode> stored() {
        return stored;
    }

    public List<String> details() {
        return failures.stream().map(ImportItem::error).toList();
    }
}
