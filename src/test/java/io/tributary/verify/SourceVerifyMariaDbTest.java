package io.tributary.verify;

import io.tributary.sql.Dialect;

class SourceVerifyMariaDbTest extends SourceVerifyContract {
    SourceVerifyMariaDbTest() {
        super(Dialect.MARIADB);
    }
}
