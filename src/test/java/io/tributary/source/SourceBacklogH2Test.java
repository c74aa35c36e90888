package io.tributary.source;

import io.tributary.sql.Dialect;

class SourceBacklogH2Test extends SourceBacklogContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
