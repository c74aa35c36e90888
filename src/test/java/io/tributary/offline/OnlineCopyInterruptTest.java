package io.tributary.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.JdbcCollectionStore;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failed partition stops the others without interrupting them: an interrupt while a thread writes embedded
 * H2 closes its file channel, and every other connection to the central database then fails ("Reading from
 * file ... failed") until it is reopened.
 */
class OnlineCopyInterruptTest {

    private TestDatabase db;
    private JdbcCollectionStore store;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        db = TestDatabase.create(Dialect.H2, "onlinecopy");
        store = new JdbcCollectionStore();
        store.setDataSource(db.dataSource());
        store.start();
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        db.close();
    }

    @Test
    void aFailedPartitionStopsTheOthersWithoutInterruptingThem() {
        CountDownLatch slowWriting = new CountDownLatch(1);
        CountDownLatch poolClosing = new CountDownLatch(1);
        CountDownLatch poolClosed = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        OnlineCopy.Source source = new OnlineCopy.Source() {
            @Override
            public List<BackupPlan> plan(JobControl control) {
                return List.of(new BackupPlan("cut", Json.MAPPER.createObjectNode(), 1),
                        new BackupPlan("slow", Json.MAPPER.createObjectNode(), 1));
            }

            @Override
            public long read(BackupPlan plan, Consumer<ObjectNode> out, JobControl control) {
                if (plan.name().equals("cut")) {
                    try {
                        slowWriting.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    throw new IllegalStateException("cut short on purpose");
                }
                out.accept(Json.MAPPER.createObjectNode().put("_key", "a"));
                slowWriting.countDown();
                try {
                    // still at work (as on its way into the staging table) while the job stops the others
                    poolClosing.await();
                    poolClosed.await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                return 1;
            }
        };
        OnlineCopy.Pools camelPools = OnlineCopy.Pools.of(camel.getExecutorServiceManager(), this, "test-copy");
        OnlineCopy.Pools pools = new OnlineCopy.Pools() {
            @Override
            public ExecutorService open(int threads) {
                return camelPools.open(threads);
            }

            @Override
            public void close(ExecutorService pool) {
                poolClosing.countDown();
                camelPools.close(pool);
                poolClosed.countDown();
            }
        };
        OnlineCopy copy = new OnlineCopy(source, Json.MAPPER.createObjectNode().put("kind", "collection")
                .put("database", "_system").put("collection", "from"), Selection.ALL, store, "_system", "into", 2, pools);
        assertThatThrownBy(() -> copy.run(new JobControl(0), c -> { })).hasMessageContaining("cut short on purpose");
        assertThat(interrupted).as("the partition still at work was interrupted").isFalse();
    }
}
