package io.tributary.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tributary.central.CentralClient;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.GatedProxy;
import io.tributary.testing.SourceApp;
import io.tributary.testing.TestCentral;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page (/ui) in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium): a node with a healthy source, a source whose central node is down, a source whose central node
 * answers with markup, and a sync job held mid-way by a proxy. Writes target/status-page.png, the screenshot
 * in README.md and docs/operations.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /** What the hostile central node answers: markup that would run if the page inserted it as HTML. */
    private static final String MARKUP = "<img src=x onerror=document.body.setAttribute('data-injected','1')>";
    private static final int DOCUMENTS = 2500;

    private final List<AutoCloseable> open = new ArrayList<>();
    private TestDatabase db;
    private TestCentral central;
    private GatedProxy proxy;
    private TributaryApp app;
    private CentralClient client;
    private String base;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws Exception {
        db = TestDatabase.create(Dialect.POSTGRESQL, "statuspage");
        open.add(db);
        for (String table : List.of("orders", "billing", "ledger")) {
            db.execute("CREATE TABLE " + table + "_changes (id " + db.identityKey() + ", v VARCHAR(20) NOT NULL)");
            insert(table + "_changes", 40);
        }
        central = new TestCentral();
        open.add(central);
        HttpServer hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hostile.createContext("/", http -> {
            byte[] body = ("{\"error\":true,\"code\":500,\"errorNum\":4,\"errorMessage\":\"" + MARKUP.replace("\"", "\\\"") + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            http.getResponseHeaders().add("Content-Type", "application/json");
            http.sendResponseHeaders(500, body.length);
            try (OutputStream out = http.getResponseBody()) {
                out.write(body);
            }
        });
        hostile.start();
        open.add(() -> hostile.stop(0));

        // the node a sync job reads from, through a proxy that holds every page after the first
        TestDatabase peerDb = TestDatabase.create(Dialect.H2, "statuspeer");
        open.add(peerDb);
        int peerPort = TributaryApp.freePort();
        TributaryApp peer = TributaryApp.builder().properties(peerDb.beanProperties("centralDb"))
                .property("camel.server.port", Integer.toString(peerPort))
                .routes("file:routes/central-import.camel.yaml", "file:routes/collection-sync.camel.yaml", "file:routes/jobs.camel.yaml")
                .start();
        open.add(peer);
        CentralClient peerClient = new CentralClient(peerPort);
        StringBuilder docs = new StringBuilder();
        for (int i = 0; i < DOCUMENTS; i++) {
            docs.append(String.format("{\"_key\":\"k%05d\",\"n\":%d}%n", i, i));
        }
        assertThat(peerClient.post("/_api/import?collection=events&type=documents&createCollection=true", docs.toString())
                .status()).isEqualTo(201);
        proxy = new GatedProxy("http://127.0.0.1:" + peerPort, 1, 0);
        open.add(proxy);

        Path dir = Files.createTempDirectory("tributary-status-page-");
        List<String> routes = new ArrayList<>(List.of("file:routes/central-import.camel.yaml", "file:routes/sources.camel.yaml",
                "file:routes/jobs.camel.yaml", "file:routes/collection-sync.camel.yaml", "file:routes/status-page.camel.yaml",
                SourceApp.TEMPLATE));
        routes.add("file:" + SourceApp.writeSourceFile(dir, source("orders", central.url())));
        routes.add("file:" + SourceApp.writeSourceFile(dir, source("billing", "http://127.0.0.1:" + TributaryApp.freePort())));
        routes.add("file:" + SourceApp.writeSourceFile(dir, source("ledger", "http://127.0.0.1:" + hostile.getAddress().getPort())));
        int port = TributaryApp.freePort();
        app = TributaryApp.builder().routes(routes.toArray(String[]::new)).properties(db.beanProperties("sourceDb"))
                .properties(db.beanProperties("centralDb")).property("camel.server.port", Integer.toString(port))
                .property("tributary.status.history-interval-ms", "1000")
                .property("tributary.sync.peers", proxy.url()).start();
        open.add(app);
        client = new CentralClient(port);
        base = "http://127.0.0.1:" + port;

        Path profile = Files.createTempDirectory("tributary-chromium-");
        open.add(() -> delete(profile));
        open.add(() -> delete(dir));
        browser = new ChromeDriver(chromeDriver(), chromeOptions(profile));
        open.add(browser::quit);
        // the page redraws its tables on every refresh: an element found before a redraw is stale after it
        wait = new WebDriverWait(browser, WAIT);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterAll
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static Map<String, String> source(String id, String centralUrl) {
        Map<String, String> s = SourceApp.source(id, id + "_changes", centralUrl);
        s.put("poll", "timer:tributary-" + id + "?period=500&delay=100");
        s.put("backlogIntervalMs", "1000");
        return s;
    }

    /** Debian's driver and browser, named explicitly: nothing is downloaded (Selenium Manager never runs). */
    private static ChromeDriverService chromeDriver() {
        assertThat(new File(CHROMEDRIVER).canExecute()).as("chromium-driver is installed (.ci/run installs it)").isTrue();
        return new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    }

    private static ChromeOptions chromeOptions(Path profile) {
        assertThat(new File(CHROMIUM).canExecute()).as("chromium is installed (.ci/run installs it)").isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1440,900");
        return options;
    }

    private static void delete(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void insert(String table, int rows) {
        db.execute("INSERT INTO " + table + " (v) SELECT 'v' || g FROM generate_series(1, " + rows + ") g");
    }

    private WebElement row(String sourceId) {
        return browser.findElement(By.cssSelector("#sources tr[data-source='" + sourceId + "']"));
    }

    /** The text of a cell, found again when a redraw replaced the row between finding and reading it. */
    private String cell(String sourceId, String cssClass) {
        return wait.until(d -> row(sourceId).findElement(By.cssSelector(cssClass)).getText());
    }

    /** Clicks a source's button, found again when a redraw replaced it before the click. */
    private void click(String sourceId, String action) {
        wait.until(d -> {
            row(sourceId).findElement(By.cssSelector("button[data-action='" + action + "']")).click();
            return true;
        });
    }

    private JsonNode status(String id) {
        CentralClient.Response r = client.get("/api/sources/" + id);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void showsSourcesAndJobsAndPausesASource() throws Exception {
        browser.get(base + "/");
        wait.until(ExpectedConditions.urlToBe(base + "/ui"));
        assertThat(browser.getTitle()).isEqualTo("Tributary status");

        // the healthy source delivers; the page lists every source
        Await.until("40 orders at the central node", WAIT, () -> central.documentCount() == 40);
        wait.until(d -> d.findElements(By.cssSelector("#sources tbody tr")).size() == 3);
        wait.until(d -> cell("orders", ".state").equals("idle"));

        // a source whose central node is down shows failing, with the error the API has
        Await.until("billing failing", WAIT, () -> status("billing").path("state").asText().equals("failing"));
        wait.until(d -> cell("billing", ".state").equals("failing"));
        wait.until(d -> !cell("billing", "td.error").isEmpty());
        String error = status("billing").path("lastError").path("message").asText();
        assertThat(error).containsIgnoringCase("connect");
        wait.until(d -> cell("billing", "td.error").equals(error));

        // a central node's answer with markup is shown as text and runs nothing
        wait.until(d -> cell("ledger", ".state").equals("failing") && cell("ledger", "td.error").contains("<img"));
        assertThat(cell("ledger", "td.error")).contains(MARKUP);
        assertThat(browser.findElements(By.cssSelector("#sources img"))).isEmpty();
        assertThat(browser.findElement(By.tagName("body")).getAttribute("data-injected")).isNull();

        // rows/s and lag of the last hour, drawn from the history the node sampled
        insert("orders_changes", 60);
        Await.until("100 orders at the central node", WAIT, () -> central.documentCount() == 100);
        wait.until(d -> row("orders").findElements(By.cssSelector("svg.chart polyline")).size() == 2);
        Await.until("the 100 rows in the history", WAIT, () -> client.get("/api/sources/orders/history").json()
                .path("samples").findValues("rowsSent").stream().anyMatch(n -> n.asLong() == 100));
        JsonNode samples = client.get("/api/sources/orders/history").json().path("samples");
        assertThat(samples.findValues("rowsPerSecond").stream().mapToDouble(JsonNode::asDouble).max().orElse(0)).isPositive();
        assertThat(client.get("/api/sources/nothing/history").status()).isEqualTo(404);

        // a running sync job shows its progress: the proxy let the first page of 1,000 through
        CentralClient.Response job = client.post("/api/sync/jobs", "{\"source\":{\"url\":\"" + proxy.url()
                + "\",\"collection\":\"events\"},\"target\":{\"collection\":\"events_copy\"}}");
        assertThat(job.status()).as(job.body()).isEqualTo(202);
        String jobId = job.json().path("id").asText();
        By progress = By.cssSelector("#jobs tr[data-job='" + jobId + "'][data-status='running'] progress");
        wait.until(d -> !d.findElements(progress).isEmpty() && "1000".equals(d.findElement(progress).getAttribute("value")));
        String max = wait.until(d -> d.findElement(progress).getAttribute("max"));
        assertThat(max).isEqualTo(Integer.toString(DOCUMENTS));
        Map<String, Double> held = client.metrics();
        assertThat(held.get("tributary_jobs_running{kind=\"sync\"}")).as("the held job").isEqualTo(1.0);
        assertThat(held.get("tributary_job_rows_total{kind=\"sync\"}")).as("its first page, while it runs").isGreaterThanOrEqualTo(1000.0);

        // pause from the page: the row and the API say paused
        click("orders", "pause");
        wait.until(d -> cell("orders", ".state").equals("paused"));
        assertThat(status("orders").path("state").asText()).isEqualTo("paused");
        wait.until(d -> row("orders").findElement(By.cssSelector("button[data-action='resume']")).isEnabled());
        insert("orders_changes", 5);
        wait.until(d -> row("orders").findElement(By.cssSelector("td:nth-child(4)")).getText().equals("5"));
        assertThat(central.documentCount()).as("nothing sent while paused").isEqualTo(100);

        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "status-page.png"), StandardCopyOption.REPLACE_EXISTING);

        // resume from the page; the job ends once the proxy lets it
        click("orders", "resume");
        Await.until("105 orders at the central node", WAIT, () -> central.documentCount() == 105);
        wait.until(d -> cell("orders", ".state").equals("idle"));
        proxy.release();
        By done = By.cssSelector("#jobs tr[data-job='" + jobId + "'][data-status='succeeded'] progress");
        wait.until(d -> !d.findElements(done).isEmpty()
                && Integer.toString(DOCUMENTS).equals(d.findElement(done).getAttribute("value")));
        Map<String, Double> after = client.metrics();
        assertThat(after.get("tributary_jobs_running{kind=\"sync\"}")).isZero();
        assertThat(after.get("tributary_job_rows_total{kind=\"sync\"}")).isEqualTo((double) DOCUMENTS);
    }
}
