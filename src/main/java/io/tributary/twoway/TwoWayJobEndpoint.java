package io.tributary.twoway;

import io.tributary.http.JsonResponse;
import io.tributary.http.QueryString;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Two-way jobs over HTTP, called from {@code routes/two-way.camel.yaml}: {@code POST/GET /api/two-way/jobs}.
 * One job by id is {@link io.tributary.job.JobEndpoint}'s ({@code /api/jobs/{id}}).
 */
public class TwoWayJobEndpoint {

    private TwoWayJobs jobs;

    public void setJobs(TwoWayJobs jobs) {
        this.jobs = jobs;
    }

    /** {@code POST /api/two-way/jobs[?wait=true]} starts a run; {@code GET} lists the recent ones. */
    public void jobs(Exchange exchange) throws InterruptedException {
        Message in = exchange.getMessage();
        if ("GET".equals(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
            JsonResponse.send(in, 200, jobs.list());
            return;
        }
        Map<String, String> q = QueryString.parameters(in.getHeader(Exchange.HTTP_QUERY, String.class));
        TwoWaySpec spec = TwoWaySpec.parse(in.getBody(String.class));
        if (spec.blocking() || "true".equalsIgnoreCase(q.get("wait"))) {
            JsonResponse.send(in, 200, jobs.submitAndWait(spec));
            return;
        }
        JsonResponse.send(in, 202, jobs.submit(spec));
    }
}
