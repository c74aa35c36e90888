package io.tributary.source;

import io.tributary.sql.Dialect;

class SourceRoutesMariaDbTest extends SourceRoutesContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
