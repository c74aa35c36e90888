package io.tributary.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Starts Tributary with the real route template and source files written like a user would
 * (one templatedRoute per source), and counts failed runs so tests can wait for them.
 */
public final class SourceApp implements AutoCloseable {

    public static final String TEMPLATE = "file:routes/change-source-template.camel.yaml";

    private final TributaryApp app;
    private final AtomicInteger failedRuns = new AtomicInteger();

    private SourceApp(TributaryApp app) {
        this.app = app;
    }

    /** Each map is one source's template parameters; {@code db} is bound as bean {@code sourceDb}. */
    @SafeVarargs
    public static SourceApp start(TestDatabase db, Path dir, Map<String, String>... sources) {
        List<String> routes = new ArrayList<>(List.of(TEMPLATE));
        for (Map<String, String> source : sources) {
            routes.add("file:" + writeSourceFile(dir, source));
        }
        TributaryApp app = TributaryApp.builder()
                .routes(routes.toArray(String[]::new))
                .properties(db.beanProperties("sourceDb"))
                .property("camel.server.port", Integer.toString(TributaryApp.freePort()))
                .start();
        SourceApp sourceApp = new SourceApp(app);
        app.context().getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                // A run is the polling exchange; its split batches are exchanges of their own.
                if (event instanceof CamelEvent.ExchangeFailedEvent failed
                        && failed.getExchange().getProperty(Exchange.SPLIT_INDEX) == null) {
                    sourceApp.failedRuns.incrementAndGet();
                }
            }
        });
        return sourceApp;
    }

    /** The parameters every test source shares: fast polling and retries. */
    public static Map<String, String> source(String sourceId, String table, String centralUrl) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sourceId", sourceId);
        p.put("dataSource", "sourceDb");
        p.put("table", table);
        p.put("keyColumn", "id");
        p.put("collection", "central");
        p.put("centralUrl", centralUrl);
        p.put("poll", "timer:tributary-" + sourceId + "?period=100&delay=100");
        p.put("maximumRedeliveries", "1");
        p.put("redeliveryDelay", "20");
        return p;
    }

    public static Path writeSourceFile(Path dir, Map<String, String> parameters) {
        return writeSourceFile(dir, parameters.get("sourceId"), parameters);
    }

    /** A source file {@code <routeId>.camel.yaml} with this route id (and any parameter names, even wrong ones). */
    public static Path writeSourceFile(Path dir, String routeId, Map<String, String> parameters) {
        StringBuilder yaml = new StringBuilder("- templatedRoute:\n    routeTemplateRef: tributary-change-source\n    routeId: "
                + routeId + "\n    parameters:\n");
        parameters.forEach((name, value) -> yaml.append("      - name: ").append(name).append("\n        value: \"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
        Path file = dir.resolve(routeId + ".camel.yaml");
        try {
            // written elsewhere and moved in, as a live-reload watcher must never see a half-written file
            Path partial = Files.writeString(Files.createTempFile("source-", ".part"), yaml);
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.toAbsolutePath();
    }

    public int failedRuns() {
        return failedRuns.get();
    }

    public TributaryApp app() {
        return app;
    }

    @Override
    public void close() {
        app.close();
    }
}
