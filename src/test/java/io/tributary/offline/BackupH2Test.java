package io.tributary.offline;

import io.tributary.sql.Dialect;

class BackupH2Test extends BackupContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
