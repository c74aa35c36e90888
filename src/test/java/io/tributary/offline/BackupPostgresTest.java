package io.tributary.offline;

import io.tributary.sql.Dialect;

class BackupPostgresTest extends BackupContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
