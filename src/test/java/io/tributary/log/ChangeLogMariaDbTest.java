package io.tributary.log;

import io.tributary.sql.Dialect;
import org.junit.jupiter.api.Test;

class ChangeLogMariaDbTest extends ChangeLogContract {
    @Override
    protected Dialect dialect() {
        return Dialect.MARIADB;
    }

    @Test
    void aWriteOfTwoDatabasesHoldsNoCounterLockWhileItInsertsEntries() throws Exception {
        writeOfTwoDatabasesHoldsNoCounterLockWhileItInsertsEntries();
    }
}
