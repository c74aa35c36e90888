package io.tributary.sync;

import io.tributary.job.JobRequests;
import org.apache.camel.Exchange;

/**
 * Sync jobs over HTTP, called from {@code routes/collection-sync.camel.yaml}: {@code POST/GET /api/sync/jobs}.
 * One job by id, of any kind, is {@link io.tributary.job.JobEndpoint}'s.
 */
public class SyncJobEndpoint {

    private JobRequests<SyncSpec> requests;

    public void setJobs(SyncJobs jobs) {
        this.requests = new JobRequests<>(SyncSpec::parse, SyncSpec::blocking, jobs::submit, jobs::submitAndWait, jobs::list);
    }

    /** {@code POST /api/sync/jobs[?wait=true]} starts a job; {@code GET /api/sync/jobs} lists the recent ones. */
    public void jobs(Exchange exchange) throws InterruptedException {
        requests.answer(exchange);
    }
}
