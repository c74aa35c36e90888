package io.tributary.sync;

import io.tributary.sql.Dialect;

class RemoteBackupPostgresTest extends RemoteBackupContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
