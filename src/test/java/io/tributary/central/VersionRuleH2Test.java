package io.tributary.central;

import io.tributary.sql.Dialect;

class VersionRuleH2Test extends VersionRuleContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
