package io.tributary.log;

import io.tributary.sql.Dialect;
import org.junit.jupiter.api.Test;

class ChangeLogPostgresTest extends ChangeLogContract {
    @Override
    protected Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Test
    void aWriteOfTwoDatabasesHoldsNoCounterLockWhileItInsertsEntries() throws Exception {
        writeOfTwoDatabasesHoldsNoCounterLockWhileItInsertsEntries();
    }
}
