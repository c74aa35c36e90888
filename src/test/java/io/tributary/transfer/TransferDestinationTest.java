package io.tributary.transfer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransferDestinationTest {

    /** A password written into the destination is refused and never repeated, whatever characters it holds. */
    @Test
    void aRefusedDestinationNeverShowsItsPassword() {
        for (String password : new String[] {"pw", "p@ss", "pa/ss", "p#ss", "p?ss", "p%zz", "p ss", "p{s}s", "p\"s"}) {
            String destination = "sftp://u:" + password + "@host/x";
            assertThatThrownBy(() -> TransferDestination.parse(destination)).as(destination)
                    .isInstanceOf(TransferException.class)
                    .hasMessageStartingWith(password.contains(" ") || password.contains("{") || password.contains("\"")
                            || password.contains("%") ? "destination 'sftp://...' is not a URI" : "destination 'sftp://u:***@")
                    .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain(password));
        }
    }
}
