package io.tributary.central;

import io.tributary.sql.Dialect;

class VersionRuleMariaDbTest extends VersionRuleContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
