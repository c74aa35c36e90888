package io.tributary.verify;

import io.tributary.sql.Dialect;

class SourceVerifyPostgresTest extends SourceVerifyContract {
    SourceVerifyPostgresTest() {
        super(Dialect.POSTGRESQL);
    }
}
