package io.tributary.sync;

import io.tributary.sql.Dialect;

class RemoteBackupMariaDbTest extends RemoteBackupContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
