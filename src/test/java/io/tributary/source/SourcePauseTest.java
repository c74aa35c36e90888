package io.tributary.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/** The stored pause of a source against a real PostgreSQL status database. */
class SourcePauseTest {

    /**
     * A source's first run reads the stored pause while an operator pauses it: the read found no pause yet,
     * and once it ends it must not make the process forget the pause just stored (resume then answered 409,
     * and the "paused" source kept sending).
     */
    @Test
    void aPauseStoredWhileTheFirstReadRunsIsKept() throws Exception {
        try (TestDatabase db = TestDatabase.create(Dialect.POSTGRESQL, "pauserace")) {
            HeldRead held = new HeldRead(db.dataSource());
            SourcePause pause = new SourcePause(held, "tributary_status", "s");
            CompletableFuture<Optional<Instant>> firstRead = CompletableFuture.supplyAsync(pause::stored);
            assertThat(held.readDone.await(30, TimeUnit.SECONDS)).as("the first read ran").isTrue();

            pause.pause();
            held.release.countDown();

            assertThat(firstRead.get(30, TimeUnit.SECONDS)).isPresent();
            assertThat(pause.known()).as("the process still knows the source is paused").isPresent();
        }
    }

    /** Holds the connection of the first read of the pause table when it is given back: the read is done, its result not yet used. */
    private static final class HeldRead extends DelegatingDataSource {

        final CountDownLatch readDone = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final AtomicBoolean held = new AtomicBoolean();

        HeldRead(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws java.sql.SQLException {
            Connection real = super.getConnection();
            AtomicBoolean readsPause = new AtomicBoolean();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("prepareStatement") && String.valueOf(args[0]).startsWith("SELECT paused_at_ms")) {
                            readsPause.set(true);
                        }
                        if (method.getName().equals("close") && readsPause.get() && held.compareAndSet(false, true)) {
                            readDone.countDown();
                            release.await(30, TimeUnit.SECONDS);
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
