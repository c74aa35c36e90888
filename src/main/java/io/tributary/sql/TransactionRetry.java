package io.tributary.sql;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Runs a unit of database work again when it failed only because a concurrent transaction collided
 * with it ({@link Dialect#isTransient}, {@link Dialect#isConcurrentCreation}). Between attempts it
 * waits a random 5 to {@code backoffStepMillis × attempt} ms, so colliding writers do not meet again
 * in step; a step of 0 runs again at once. A failure counts by the {@link SQLException} behind it, also
 * when Spring's {@link DataAccessException} wraps it.
 *
 * @param maxAttempts       runs in all, the first included; the last error is thrown after them
 * @param retryable         which errors a new run may get past; any other is thrown at once
 * @param backoffStepMillis growth of the longest wait per attempt
 */
public record TransactionRetry(int maxAttempts, Predicate<SQLException> retryable, long backoffStepMillis) {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionRetry.class);

    /** One run of the work; a transaction must be complete (committed or rolled back) when it returns. */
    public interface Attempt<T> {
        T run() throws SQLException;
    }

    /**
     * The work's result. {@code what} names the work in the log line of each retry and in the error
     * when a wait is interrupted.
     */
    public <T> T run(String what, Attempt<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.run();
            } catch (SQLException | DataAccessException e) {
                SQLException cause = Jdbc.sqlCause(e);
                if (attempt >= maxAttempts || cause == null || !retryable.test(cause)) {
                    throw e;
                }
                LOG.debug("Running {} again: attempt {} of {} collided with a concurrent transaction: {}",
                        what, attempt, maxAttempts, e.getMessage());
                pause(what, attempt);
            }
        }
    }

    private void pause(String what, int attempt) {
        if (backoffStepMillis <= 0) {
            return;
        }
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, backoffStepMillis * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying " + what, e);
        }
    }
}
