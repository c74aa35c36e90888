package io.tributary.offline;

import io.tributary.http.JsonResponse;
import io.tributary.http.QueryString;
import io.tributary.job.JobWork;
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

    /** {@code POST /api/backups[?wait=true]} starts a backup; {@code GET /api/backups} lists the recent ones. */
    public void backups(Exchange exchange) throws InterruptedException {
        Message in = exchange.getMessage();
        if ("GET".equals(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
            JsonResponse.send(in, 200, jobs.list("backup"));
            return;
        }
        start(in, offline.backup(BackupSpec.parse(in.getBody(String.class))));
    }

    /** {@code POST /api/restores[?wait=true]} starts a restore; {@code GET /api/restores} lists the recent ones. */
    public void restores(Exchange exchange) throws InterruptedException {
        Message in = exchange.getMessage();
        if ("GET".equals(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
            JsonResponse.send(in, 200, jobs.list("restore"));
            return;
        }
        start(in, offline.restore(RestoreSpec.parse(in.getBody(String.class))));
    }

    /** 202 with the job as it starts; with {@code ?wait=true}, 200 with the job as it ended. */
    private void start(Message in, JobWork work) throws InterruptedException {
        Map<String, String> q = QueryString.parameters(in.getHeader(Exchange.HTTP_QUERY, String.class));
        if ("true".equalsIgnoreCase(q.get("wait"))) {
            JsonResponse.send(in, 200, jobs.submitAndWait(work));
        } else {
            JsonResponse.send(in, 202, jobs.submit(work));
        }
    }
}
