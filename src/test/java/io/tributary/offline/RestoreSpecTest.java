package io.tributary.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.http.ApiException;
import org.junit.jupiter.api.Test;

class RestoreSpecTest {

    @Test
    void aTableTargetWithDefaults() {
        RestoreSpec spec = RestoreSpec.parse("{\"name\":\"orders-20261130\",\"target\":{\"dataSource\":\"archiveDb\","
                + "\"table\":\"public.orders\"}}");

        assertThat(spec.isTable()).isTrue();
        assertThat(spec.toJson().toString()).isEqualTo("{\"name\":\"orders-20261130\",\"target\":{\"dataSource\":"
                + "\"archiveDb\",\"table\":\"public.orders\"},\"partition\":\"%\",\"force\":false,\"dryRun\":false}");
    }

    @Test
    void aCollectionTargetInTheSystemDatabaseByDefault() {
        RestoreSpec spec = RestoreSpec.parse("{\"name\":\"o\",\"target\":{\"collection\":\"orders\"},"
                + "\"partition\":\"2026-11-*\",\"force\":true,\"dryRun\":true}");

        assertThat(spec.isTable()).isFalse();
        assertThat(spec.toJson().toString()).isEqualTo("{\"name\":\"o\",\"target\":{\"database\":\"_system\","
                + "\"collection\":\"orders\"},\"partition\":\"2026-11-*\",\"force\":true,\"dryRun\":true}");
    }

    @Test
    void patternsMatchWholeNames() {
        PartitionPattern p = PartitionPattern.of("2026-11-*");
        assertThat(p.matches("2026-11-30")).isTrue();
        assertThat(p.matches("2026-12-01")).isFalse();
        assertThat(PartitionPattern.of("%").matches("anything")).isTrue();
        assertThat(PartitionPattern.of("2026-1?-01").matches("2026-12-01")).isTrue();
        assertThat(PartitionPattern.of("2026-1?-01").matches("2026-112-01")).isFalse();
        assertThat(PartitionPattern.of("a.b").matches("axb")).as("other characters are literal").isFalse();
    }

    @Test
    void refusalsNameTheField() {
        assertRefused("[]", "JSON object");
        assertRefused("{\"name\":\"o\",\"target\":{\"collection\":\"c\"},\"overwrite\":true}", "unknown field 'overwrite'");
        assertRefused("{\"name\":\"o\",\"target\":{\"collection\":\"c\",\"schema\":\"x\"}}", "unknown field 'target.schema'");
        assertRefused("{\"name\":\"../etc\",\"target\":{\"collection\":\"c\"}}", "'name'");
        assertRefused("{\"name\":\"a..b\",\"target\":{\"collection\":\"c\"}}", "'name'");
        assertRefused("{\"target\":{\"collection\":\"c\"}}", "'name' is required: the backup's directory name");
        assertRefused("{\"name\":\"o\"}", "'target' is required");
        assertRefused("{\"name\":\"o\",\"target\":{}}", "'target' needs");
        assertRefused("{\"name\":\"o\",\"target\":{\"dataSource\":\"db\",\"table\":\"t;drop\"}}", "target.table");
        assertRefused("{\"name\":\"o\",\"target\":{\"dataSource\":\"db\",\"table\":\"t\",\"collection\":\"c\"}}",
                "not both");
        assertRefused("{\"name\":\"o\",\"target\":{\"collection\":\"c\"},\"partition\":\"\"}", "'partition'");
        assertRefused("{\"name\":\"o\",\"target\":{\"collection\":\"c\"},\"force\":\"yes\"}", "'force'");
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> RestoreSpec.parse(json)).isInstanceOf(ApiException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
    }
}
