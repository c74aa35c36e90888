package io.tributary.source;

import io.tributary.sql.Dialect;

class SourceBacklogPostgresTest extends SourceBacklogContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
