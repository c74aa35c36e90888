package io.tributary.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.http.JsonResponse;
import io.tributary.http.QueryString;
import io.tributary.http.RequestPath;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The job API of every kind, called from {@code routes/jobs.camel.yaml}: {@code /api/jobs[/{id}]}. */
public class JobEndpoint {

    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f-]{36}");
    private static final Set<String> KINDS = Set.copyOf(JobMetrics.KINDS);

    private Jobs jobs;

    public void setJobs(Jobs jobs) {
        this.jobs = jobs;
    }

    /** {@code GET /api/jobs[?kind=sync|backup|restore|two-way]}: the recent jobs, newest first. */
    public void list(Exchange exchange) {
        Message in = exchange.getMessage();
        String kind = QueryString.known(in.getHeader(Exchange.HTTP_QUERY, String.class), Set.of("kind")).get("kind");
        if (kind != null && !KINDS.contains(kind)) {
            throw ApiException.badParameter("'kind' must be one of sync, backup, restore, two-way, not '"
                    + ApiException.printable(kind) + "'");
        }
        JsonResponse.send(in, 200, jobs.list(kind));
    }

    /** {@code GET /api/jobs/{id}} shows a job; {@code DELETE} cancels it. */
    public void job(Exchange exchange) {
        Message in = exchange.getMessage();
        JobRequests.refuseQuery(in);
        String id = RequestPath.parameter(in, "id");
        if (id == null || !JOB_ID.matcher(id).matches()) {
            throw new ApiException(404, ApiException.NOT_FOUND, "no such job");
        }
        boolean cancel = "DELETE".equals(in.getHeader(Exchange.HTTP_METHOD, String.class));
        ObjectNode view = (cancel ? jobs.cancel(id) : jobs.find(id))
                .orElseThrow(() -> new ApiException(404, ApiException.NOT_FOUND, "no such job: " + id));
        JsonResponse.send(in, 200, view);
    }
}
