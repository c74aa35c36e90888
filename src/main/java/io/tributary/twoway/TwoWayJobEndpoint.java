package io.tributary.twoway;

import io.tributary.job.JobRequests;
import org.apache.camel.Exchange;

/**
 * Two-way jobs over HTTP, called from {@code routes/two-way.camel.yaml}: {@code POST/GET /api/two-way/jobs}.
 * One job by id is {@link io.tributary.job.JobEndpoint}'s ({@code /api/jobs/{id}}).
 */
public class TwoWayJobEndpoint {

    private JobRequests<TwoWaySpec> requests;

    public void setJobs(TwoWayJobs jobs) {
        this.requests = new JobRequests<>(TwoWaySpec::parse, TwoWaySpec::blocking, jobs::submit, jobs::submitAndWait,
                jobs::list);
    }

    /** {@code POST /api/two-way/jobs[?wait=true]} starts a run of a pair; {@code GET} lists the recent ones. */
    public void jobs(Exchange exchange) throws InterruptedException {
        requests.answer(exchange);
    }
}
