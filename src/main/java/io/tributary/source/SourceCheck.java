package io.tributary.source;

import io.tributary.status.ListedCheck;

/** A health check about one source (running or refused), as every {@link ListedCheck}: always UP. */
abstract class SourceCheck extends ListedCheck {

    SourceCheck(String id) {
        super(id);
    }
}
