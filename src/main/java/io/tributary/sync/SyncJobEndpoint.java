package io.tributary.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.http.JsonResponse;
import io.tributary.http.QueryString;
import io.tributary.http.RequestPath;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The job API, called from {@code routes/collection-sync.camel.yaml}: {@code /api/sync/jobs[/{id}]}. */
public class SyncJobEndpoint {

    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f-]{36}");

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

    /** {@code GET /api/sync/jobs/{id}} shows a job; {@code DELETE} cancels it. */
    public void job(Exchange exchange) {
        Message in = exchange.getMessage();
        String id = RequestPath.parameter(in, "id");
        if (id == null || !JOB_ID.matcher(id).matches()) {
            throw new ApiException(404, ApiException.NOT_FOUND, "no such sync job");
        }
        boolean cancel = "DELETE".equals(in.getHeader(Exchange.HTTP_METHOD, String.class));
        ObjectNode view = (cancel ? jobs.cancel(id) : jobs.find(id))
                .orElseThrow(() -> new ApiException(404, ApiException.NOT_FOUND, "no such sync job: " + id));
        JsonResponse.send(in, 200, view);
    }
}
