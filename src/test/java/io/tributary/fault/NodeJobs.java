package io.tributary.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CentralClient;
import io.tributary.testing.Await;
import java.time.Duration;
import java.util.List;

/** The job API of a node that a test kills and restarts: start a job, run one to its end, read its view. */
final class NodeJobs {

    private final int port;
    private final String password;

    NodeJobs(int port, String password) {
        this.port = port;
        this.password = password;
    }

    CentralClient client() {
        return new CentralClient(port).credentials("root", password);
    }

    /** Runs a job to its end; returns its view, failing unless it succeeded. */
    JsonNode runToEnd(String path, String body) {
        CentralClient.Response r = client().post(path + "?wait=true", body);
        JsonNode job = r.json();
        assertThat(job.path("status").asText()).as(r.body()).isEqualTo("succeeded");
        return job;
    }

    /** Starts a job and waits until it shows as running (it may have ended already when it is quick); its id. */
    String startRunning(String path, String body) {
        CentralClient.Response r = client().post(path, body);
        assertThat(r.status()).as(r.body()).isBetween(200, 202);
        String id = r.json().path("id").asText();
        Await.until("job " + id + " running", Duration.ofSeconds(30),
                () -> List.of("running", "succeeded", "failed").contains(status(id).path("status").asText()), () -> status(id).toString());
        return id;
    }

    /** The job's view (from the job table after a restart). */
    JsonNode status(String id) {
        return client().get("/api/jobs/" + id).json();
    }
}
