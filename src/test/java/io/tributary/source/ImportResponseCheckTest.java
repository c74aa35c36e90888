package io.tributary.source;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImportResponseCheckTest {

    private final ImportResponseCheck check = new ImportResponseCheck();

    @Test
    void acceptsOnlyAFullSuccess() {
        assertThatCode(() -> check.check("{\"error\":false,\"created\":2,\"errors\":0,\"empty\":0,\"updated\":0,\"ignored\":0}", 2))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> check.check("{\"error\":false,\"created\":1,\"errors\":1}", 2)).hasMessageContaining("1 failed document");
        assertThatThrownBy(() -> check.check("{\"error\":true,\"errorMessage\":\"collection not found\"}", 2))
                .hasMessageContaining("collection not found");
        assertThatThrownBy(() -> check.check("{\"error\":false}", 2)).hasMessageContaining("no error count");
        assertThatThrownBy(() -> check.check("<html>", 2)).hasMessageContaining("not JSON");
    }
}
