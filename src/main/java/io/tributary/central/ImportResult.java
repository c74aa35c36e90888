package io.tributary.central;

import java.util.ArrayList;
import java.util.List;

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

    public List<String> details() {
        return failures.stream().map(ImportItem::error).toList();
    }
}
