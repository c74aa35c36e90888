package io.tributary.verify;

import io.tributary.sql.Dialect;

class SourceVerifyPostgresTest extends SourceVerifyContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
