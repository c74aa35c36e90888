package io.tributary.central;

import io.tributary.sql.Dialect;

class VersionRulePostgresTest extends VersionRuleContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
