package io.tributary.twoway;

import io.tributary.sql.Dialect;

class NewerWinsUpsertPostgresTest extends NewerWinsUpsertContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
