package io.tributary.source;

import io.tributary.sql.Dialect;

class SourceRoutesPostgresTest extends SourceRoutesContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
