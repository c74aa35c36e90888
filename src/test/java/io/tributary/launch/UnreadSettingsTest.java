package io.tributary.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Which {@code tributary.*} keys of a settings file something reads, and what the refusal of the others says. */
class UnreadSettingsTest {

    private static final Set<String> READ = Set.of("tributary.central.password", "tributary.sync.peers");

    @Test
    void keysThatAPlaceholderOrJavaReadsAreAccepted() {
        assertThat(UnreadSettings.refusal("tributary.central.password", READ)).isNull();
        assertThat(UnreadSettings.refusal("tributary.sync.sql-sources.ordersDb.tables", READ)).isNull();
        assertThat(UnreadSettings.refusal("tributary.restore.sql-targets.archive.tables", READ)).isNull();
        assertThat(UnreadSettings.refusal("tributary.two-way.sql-tables.crm.tables", READ)).isNull();
        assertThat(UnreadSettings.refusal("camel.server.prot", READ)).as("Camel refuses its own keys").isNull();
        assertThat(UnreadSettings.refusal("orders.cron", READ)).as("a user's own key").isNull();
    }

    @Test
    void otherKeysAreRefusedWithTheNearestReadOne() {
        assertThat(UnreadSettings.refusal("tributary.central.pasword", READ))
                .isEqualTo("unknown setting 'tributary.central.pasword' (did you mean 'tributary.central.password'?)");
        assertThat(UnreadSettings.refusal("tributary.sync.sql-sources.ordersDb.tabels", READ))
                .contains("did you mean 'tributary.sync.sql-sources.<bean>.tables'?");
        assertThat(UnreadSettings.refusal("tributary.sync.sql-sources..tables", READ)).isNotNull();
        assertThat(UnreadSettings.refusal("tributary.nothing.like.it", READ))
                .isEqualTo("unknown setting 'tributary.nothing.like.it' (nothing reads it: remove it, or see README.md#configuration)");
        assertThat(UnreadSettings.refusal("tributary.log.format", READ))
                .isEqualTo("tributary.log.format is read only as a system property (-Dtributary.log.format=...) or as the"
                        + " environment variable TRIBUTARY_LOG_FORMAT: logging starts before this file is read");
    }

    @Test
    void placeholdersNameTheKeysTheyRead() {
        Set<String> read = new TreeSet<>();
        UnreadSettings.placeholders("a: \"{{tributary.offline.orders-cron:0 30 22 * * ?}}\" b: {{?tributary.x}}"
                + " c: {{tributary.sync.peers}} d: {{env:TRIBUTARY_Y:}} e: {{camel.server.port}}", read);
        assertThat(read).containsExactly("tributary.offline.orders-cron", "tributary.sync.peers", "tributary.x");
    }
}
