package io.tributary.verify;

import io.tributary.sql.Dialect;

class SourceVerifyMariaDbTest extends SourceVerifyContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
