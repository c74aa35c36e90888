package io.tributary.sync;

import io.tributary.http.JsonResponse;
import io.tributary.http.QueryString;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Sync jobs over HTTP, called from {@code routes/collection-sync.camel.yaml}: {@code POST/GET /api/sync/jobs}.
 * One job by id, of any kind, is {@link io.tributary.job.JobEndpoint}'s.
 */
public class SyncJobEndpoint {

    private SyncJobs jobs;

    public void setJobs(SyncJobs jobs) {
        this.jobs = jobs;
    }

    /** {@code POST /api/sync/jobs[?wait=true]} starts a job; {@code GET /api/sync/jobs} lists the recent ones. */
    public void jobs(Exchange exchange) throws InterruptedException {
        Message in = exchange.getMessage();
        if ("GET".equals(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
            JsonResponse.send(in, 200, jobs.list());
            return;
        }
        Map<String, String> q = QueryString.parameters(in.getHeader(Exchange.HTTP_QUERY, String.class));
        SyncSpec spec = SyncSpec.parse(in.getBody(String.class));
        if (spec.blocking() || "true".equalsIgnoreCase(q.get("wait"))) {
            JsonResponse.send(in, 200, jobs.submitAndWait(spec));
            return;
        }
        JsonResponse.send(in, 202, jobs.submit(spec));
    }
}
