package io.tributary.source;

import io.tributary.sql.Dialect;

class SourceBacklogMariaDbTest extends SourceBacklogContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
