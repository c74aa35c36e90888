package io.tributary.testing;

import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * The seed of every random choice a test makes, so that a failing run can be replayed: a new seed per
 * test, or the one given with {@code -Dtributary.test.seed=N}. The seed is printed when the test starts
 * and put at the front of its failure message. A test class registers it as a field,
 * {@code @RegisterExtension final TestSeed seed = new TestSeed();}, and takes its randomness from
 * {@link #random()} (or derives its own generators from {@link #value()}).
 */
public final class TestSeed implements BeforeEachCallback, TestExecutionExceptionHandler {

    public static final String PROPERTY = "tributary.test.seed";

    private long value;
    private Random random;

    @Override
    public void beforeEach(ExtensionContext context) {
        Long given = Long.getLong(PROPERTY);
        value = given != null ? given : ThreadLocalRandom.current().nextLong();
        random = new Random(value);
        System.out.println("SEED " + context.getRequiredTestClass().getSimpleName() + " " + context.getDisplayName()
                + ": " + replay());
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof TestAbortedException) {
            throw failure;
        }
        throw new AssertionError(replay() + ": " + failure.getMessage(), failure);
    }

    public long value() {
        return value;
    }

    /** The test's generator, seeded with {@link #value()}. */
    public Random random() {
        return random;
    }

    private String replay() {
        return "seed " + value + " (replay with -D" + PROPERTY + "=" + value + ")";
    }
}
