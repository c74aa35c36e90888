package io.tributary.offline;

import io.tributary.sql.Dialect;

class RestoreH2Test extends RestoreContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
