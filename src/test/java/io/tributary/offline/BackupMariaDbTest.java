package io.tributary.offline;

import io.tributary.sql.Dialect;

class BackupMariaDbTest extends BackupContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
