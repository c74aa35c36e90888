package io.tributary.offline;

import io.tributary.http.JsonResponse;
import io.tributary.http.QueryString;
import io.tributary.job.Jobs;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Backup and restore jobs over HTTP, called from {@code routes/offline.camel.yaml}: {@code POST/GET
 * /api/backups} and {@code /api/restores}. One job by id is {@link io.tributary.job.JobEndpoint}'s.
 */
public class OfflineEndpoint {

    private OfflineJobs offline;
    private Jobs jobs;

    public void setOffline(OfflineJobs offline) {
        this.offline = offline;
    }

    public void setJobs(Jobs jobs) {
        this.jobs = jobs;
    }

    /** {@code POST /api/restores[?wait=true]} starts a restore; {@code GET /api/restores} lists the recent ones. */
    public void restores(Exchange exchange) throws InterruptedException {
        Message in = exchange.getMessage();
        if ("GET".equals(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
            JsonResponse.send(in, 200, jobs.list("restore"));
            return;
        }
        RestoreSpec spec = RestoreSpec.parse(in.getBody(String.class));
        if (waits(in)) {
            JsonResponse.send(in, 200, offline.restoreAndWait(spec));
            return;
        }
        JsonResponse.send(in, 202, offline.restore(spec));
    }

    private static boolean waits(Message in) {
        Map<String, String> q = QueryString.parameters(in.getHeader(Exchange.HTTP_QUERY, String.class));
        return "true".equalsIgnoreCase(q.get("wait"));
    }
}
