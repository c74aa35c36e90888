package io.tributary.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobsTest {

    private TestDatabase db;
    private DefaultCamelContext camel;
    private Jobs jobs;

    @BeforeEach
    void start() throws Exception {
        db = TestDatabase.create(Dialect.H2, "jobs");
        camel = new DefaultCamelContext();
        camel.start();
        jobs = new Jobs();
        jobs.setDataSource(db.dataSource());
        jobs.setCamelContext(camel);
    }

    @AfterEach
    void stop() {
        jobs.stop();
        camel.stop();
        db.close();
    }

    /** A caller that waited for a job to end (as {@code ?wait=true} and YAML routes do) may start the next on its target at once. */
    @Test
    void aWaitedJobHasLetGoOfItsTargetWhenItsCallerWakes() throws Exception {
        for (int i = 0; i < 2000; i++) {
            String status = i % 2 == 0 ? "succeeded" : "failed";
            ObjectNode end = jobs.submitAndWait(work("collection _system/one", i % 2 == 1));
            assertThat(end.path("status").asText()).as("job %d: %s", i, end).isEqualTo(status);
        }
    }

    /**
     * A caller that polls a job (as {@code GET /api/jobs/<id>} does) may start the next on its target as soon
     * as it sees the job end.
     */
    @Test
    void aPolledJobHasLetGoOfItsTargetWhenItShowsItsEnd() {
        for (int i = 0; i < 300; i++) {
            String id = jobs.submit(work("collection _system/one", i % 2 == 1)).path("id").asText();
            ObjectNode seen;
            do {
                seen = jobs.find(id).orElseThrow();
            } while (seen.path("status").asText().equals("running"));
            assertThat(seen.has("finishedAt")).as("job %d: %s", i, seen).isTrue();
        }
        // started, not refused (409) as while the last one held the target
        assertThat(jobs.submit(work("collection _system/one", false)).path("id").asText()).isNotEmpty();
    }

    /** A job that ends in an Error (out of memory, as a full sync did) shows that end to a poller too, not 'running'. */
    @Test
    void aJobEndingInAnErrorShowsItsEndToAPoller() throws Exception {
        ObjectNode end = jobs.submitAndWait(work("collection _system/one", () -> {
            throw new OutOfMemoryError("thrown on purpose");
        }));
        assertThat(end.path("status").asText()).isEqualTo("failed");
        ObjectNode polled = jobs.find(end.path("id").asText()).orElseThrow();
        assertThat(polled.path("status").asText()).as("%s", polled).isEqualTo("failed");
        assertThat(polled.path("error").asText()).contains("thrown on purpose");
    }

    private static JobWork work(String writes, boolean fail) {
        return work(writes, () -> {
            if (fail) {
                throw new IllegalStateException("failing on purpose");
            }
        });
    }

    private static JobWork work(String writes, Runnable body) {
        return new JobWork() {
            @Override
            public String kind() {
                return "sync";
            }

            @Override
            public String writes() {
                return writes;
            }

            @Override
            public ObjectNode describe() {
                return Json.MAPPER.createObjectNode().put("kind", "sync");
            }

            @Override
            public long maxWaitSeconds() {
                return 0;
            }

            @Override
            public ObjectNode run(JobControl control) {
                body.run();
                return Json.MAPPER.createObjectNode().put("rows", 1);
            }

            @Override
            public ObjectNode partialResult() {
                return null;
            }
        };
    }
}
