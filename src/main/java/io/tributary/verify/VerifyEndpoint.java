package io.tributary.verify;

import io.tributary.central.ImportEndpoint;
import io.tributary.central.ImportRequest;
import io.tributary.http.ApiException;
import io.tributary.http.JsonResponse;
import io.tributary.http.QueryString;
import io.tributary.http.RequestPath;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The verify API, called from {@code routes/source-verify.camel.yaml}: {@code /api/sources/{sourceId}/verify[/{id}]}. */
public class VerifyEndpoint {

    private VerifyJobs jobs;

    public void setJobs(VerifyJobs jobs) {
        this.jobs = jobs;
    }

    /** {@code POST ...?repair=true&wait=true} starts a verify (202, or 200 with the result when waiting); {@code GET} lists. */
    public void verify(Exchange exchange) throws InterruptedException {
        Message in = exchange.getMessage();
        String sourceId = RequestPath.parameter(in, "sourceId");
        if ("GET".equals(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
            new ConfiguredSources(exchange.getContext()).settings(sourceId); // 404 for an unknown source
            JsonResponse.send(in, 200, jobs.list(sourceId));
            return;
        }
        Map<String, String> q = QueryString.parameters(in.getHeader(Exchange.HTTP_QUERY, String.class));
        boolean wait = flag(q, "wait");
        JsonResponse.send(in, wait ? 200 : 202, jobs.start(exchange.getContext(), sourceId, flag(q, "repair"), wait));
    }

    /** {@code GET .../verify/{id}}. */
    public void job(Exchange exchange) {
        Message in = exchange.getMessage();
        String sourceId = RequestPath.parameter(in, "sourceId");
        String id = RequestPath.parameter(in, "id");
        JsonResponse.send(in, 200, jobs.find(sourceId, id)
                .orElseThrow(() -> new ApiException(404, ApiException.NOT_FOUND, "no such verify job")));
    }

    private static boolean flag(Map<String, String> q, String name) {
        String v = q.getOrDefault(name, "false");
        if (!v.equals("true") && !v.equals("false")) {
            throw ApiException.badParameter("parameter '" + name + "' must be true or false");
        }
        return v.equals("true");
    }
}
