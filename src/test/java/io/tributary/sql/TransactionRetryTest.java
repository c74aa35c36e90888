package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransactionRetryTest {

    private final AtomicInteger attempts = new AtomicInteger();
    private final TransactionRetry retry = new TransactionRetry(3, Dialect.POSTGRESQL::isTransient, 20);

    private static SQLException deadlock(int attempt) {
        return new SQLException("deadlock detected in attempt " + attempt, "40P01");
    }

    @Test
    void runsAgainAfterARetryableErrorUntilTheWorkSucceeds() throws SQLException {
        String result = retry.run("the test", () -> {
            int attempt = attempts.incrementAndGet();
            if (attempt < 3) {
                throw deadlock(attempt);
            }
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void throwsAnErrorThatIsNotRetryableAtOnce() {
        SQLException syntax = new SQLException("syntax error at or near \"SELEC\"", "42601");

        assertThatThrownBy(() -> retry.run("the test", () -> {
            attempts.incrementAndGet();
            throw syntax;
        })).isSameAs(syntax);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void stopsAtMaxAttemptsAndThrowsTheLastError() {
        assertThatThrownBy(() -> retry.run("the test", () -> {
            throw deadlock(attempts.incrementAndGet());
        })).isInstanceOf(SQLException.class).hasMessage("deadlock detected in attempt 3");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void acceptsAnyPredicateAsRetryable() {
        TransactionRetry creation = new TransactionRetry(2, Dialect.POSTGRESQL::isConcurrentCreation, 0);

        assertThatThrownBy(() -> creation.run("CREATE TABLE t", () -> {
            attempts.incrementAndGet();
            throw new SQLException("relation \"t\" already exists", "42P07");
        })).hasMessage("relation \"t\" already exists");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void anInterruptedWaitStopsRetryingAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> retry.run("the test", () -> {
                throw deadlock(attempts.incrementAndGet());
            })).isInstanceOf(IllegalStateException.class)
                    .hasMessage("Interrupted while retrying the test")
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(attempts).hasValue(1);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
