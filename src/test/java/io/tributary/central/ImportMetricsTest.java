package io.tributary.central;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The central endpoint's documents by outcome and its import latency on /observe/metrics, after known imports. */
class ImportMetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("^(tributary_\\S+) (\\S+)$", Pattern.MULTILINE);

    @Test
    void documentsAreCountedByCollectionAndOutcome() {
        int port = TributaryApp.freePort();
        try (TestDatabase db = TestDatabase.create(Dialect.H2, "importmetrics");
             TributaryApp app = TributaryApp.builder().routes("file:routes/central-import.camel.yaml")
                     .properties(db.beanProperties("centralDb")).property("camel.server.port", Integer.toString(port)).start()) {
            CentralClient client = new CentralClient(port);
            String path = "/_api/import?collection=metered&type=array&createCollection=true&onDuplicate=replace&versionAttribute=_version";
            assertThat(client.post(path, "[{\"_key\":\"a\",\"_version\":2},{\"_key\":\"b\",\"_version\":1}]").status()).isEqualTo(201);
            // a is not newer: ignored; c is new
            assertThat(client.post(path, "[{\"_key\":\"a\",\"_version\":1},{\"_key\":\"c\",\"_version\":1}]").status()).isEqualTo(201);
            // complete=true and a document that fails: the whole request is refused, both documents rejected
            assertThat(client.post(path + "&complete=true", "[{\"_key\":\"d\",\"_version\":1},{\"_key\":\"bad key!\"}]").status())
                    .isIn(400, 409);
            Map<String, Double> m = metrics(client);
            assertThat(m).containsEntry("tributary_central_documents_total{collection=\"metered\",outcome=\"imported\"}", 3.0)
                    .containsEntry("tributary_central_documents_total{collection=\"metered\",outcome=\"ignored\"}", 1.0)
                    .containsEntry("tributary_central_documents_total{collection=\"metered\",outcome=\"rejected\"}", 2.0)
                    .containsEntry("tributary_central_import_duration_seconds_count{collection=\"metered\"}", 3.0)
                    .containsEntry("tributary_central_import_duration_seconds_bucket{collection=\"metered\",le=\"+Inf\"}", 3.0)
                    .containsEntry("tributary_jobs_running{kind=\"sync\"}", 0.0)
                    .containsEntry("tributary_job_rows_total{kind=\"sync\"}", 0.0);
        }
    }

    private static Map<String, Double> metrics(CentralClient client) {
        Map<String, Double> values = new HashMap<>();
        Matcher m = SAMPLE.matcher(client.get("/observe/metrics").body());
        while (m.find()) {
            values.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return values;
    }
}
