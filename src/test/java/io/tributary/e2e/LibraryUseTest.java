package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * Tributary inside someone else's Camel application: a plain Camel Main (not TributaryMain) that
 * takes the beans' defaults and the route files from the jar's classpath, as the README describes.
 */
class LibraryUseTest {

    @Test
    void thePackagedRoutesAndBeansServeImportsInAHostCamelRuntime() throws Exception {
        int port = TributaryApp.freePort();
        try (TestDatabase central = TestDatabase.create(Dialect.H2, "library")) {
            Main host = new Main();
            host.setPropertyPlaceholderLocations("classpath:application.properties");
            // the README's include pattern: every packaged route file
            host.addOverrideProperty("camel.main.routes-include-pattern", "classpath:tributary/routes/*.yaml");
            host.addOverrideProperty("camel.server.port", String.valueOf(port));
            central.beanProperties("centralDb").forEach(host::addOverrideProperty);
            host.start();
            try {
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + port + "/_api/import?collection=hosted&type=documents&createCollection=true"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"_key\":\"a\",\"v\":1}\n{\"_key\":\"b\",\"v\":2}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(201);
                assertThat(response.body()).contains("\"created\":2");
                assertThat(host.getCamelContext().getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class)
                        .getRouteTemplateDefinition("tributary-change-source")).isNotNull();
                assertThat(host.getCamelContext().getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class)
                        .getRouteTemplateDefinition("tributary-source-verify")).as("the verify template travels in the jar too").isNotNull();
            } finally {
                host.stop();
            }
        }
    }
}
