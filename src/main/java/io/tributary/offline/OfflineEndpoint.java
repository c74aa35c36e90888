package io.tributary.offline;

import io.tributary.http.JsonResponse;
import io.tributary.job.JobRequests;
import io.tributary.job.JobWork;
import io.tributary.job.Jobs;
import java.util.function.Function;
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
        listOrStart(exchange.getMessage(), "backup", body -> offline.backup(BackupSpec.parse(body)));
    }

    /** {@code POST /api/restores[?wait=true]} starts a restore; {@code GET /api/restores} lists the recent ones. */
    public void restores(Exchange exchange) throws InterruptedException {
        listOrStart(exchange.getMessage(), "restore", body -> offline.restore(RestoreSpec.parse(body)));
    }

    private void listOrStart(Message in, String kind, Function<String, JobWork> work) throws InterruptedException {
        if ("GET".equals(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
            JobRequests.refuseQuery(in);
            JsonResponse.send(in, 200, jobs.list(kind));
            return;
        }
        // the query first: a misspelled ?wait is named before the body's checks (and its 404s) run
        boolean wait = JobRequests.waitAsked(in);
        JobWork job = work.apply(in.getBody(String.class));
        // 202 with the job as it starts; with ?wait=true, 200 with the job as it ended
        if (wait) {
            JsonResponse.send(in, 200, jobs.submitAndWait(job));
        } else {
            JsonResponse.send(in, 202, jobs.submit(job));
        }
    }
}
