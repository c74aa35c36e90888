package io.tributary.central;

import io.tributary.http.ApiException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** What a refused request answers, checked where it is decided: status, ArangoDB error number, message. */
final class ApiRefusal {

    private ApiRefusal() {
    }

    static ApiException assertRefused(ThrowingCallable call, int status, int errorNum, String messagePart) {
        ApiException e = catchThrowableOfType(ApiException.class, call);
        assertThat(e).as("refused with %d/%d", status, errorNum).isNotNull();
        assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
        assertThat(e.errorNum()).as(e.getMessage()).isEqualTo(errorNum);
        assertThat(e.getMessage()).containsIgnoringCase(messagePart);
        return e;
    }
}
