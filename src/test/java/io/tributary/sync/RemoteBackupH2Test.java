package io.tributary.sync;

import io.tributary.sql.Dialect;

class RemoteBackupH2Test extends RemoteBackupContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
