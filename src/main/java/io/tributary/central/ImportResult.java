package io.tributary.central;

import java.util.ArrayList;
import java.util.List;

/** The counters ArangoDB answers an import with, plus the per-document error texts ({@code details}). */
public final class ImportResult {

    int created;
    int errors;
    int empty;
    int updated;
    int ignored;
    final List<String> details = new ArrayList<>();
    /** Every per-document failure, in the order found; a document write answers each by its position. */
    final List<ImportItem> failures = new ArrayList<>();
    /** The first per-document failure: with {@code complete=true} it decides the status (409 or 400). */
    ImportItem firstFailure;

    void fail(ImportItem item) {
        errors++;
        details.add(item.error());
        failures.add(item);
        if (firstFailure == null) {
            firstFailure = item;
        }
    }

    public int created() {
        return created;
    }

    public int errors() {
        return errors;
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
        return details;
    }
}
