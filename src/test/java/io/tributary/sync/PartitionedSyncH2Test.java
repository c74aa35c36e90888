package io.tributary.sync;

import io.tributary.sql.Dialect;

class PartitionedSyncH2Test extends PartitionedSyncContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
