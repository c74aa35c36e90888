package io.tributary.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the central import endpoint, just enough of ArangoDB's {@code /_api/import}
 * (array bodies, complete, versionAttribute) plus Tributary's position record, and switchable
 * into failure modes. Lets source tests run while the real central endpoint is built elsewhere.
 */
public final class TestCentral implements AutoCloseable {

    /** How the next requests are answered. */
    public enum Behaviour { OK, FAIL_500, FAIL_409, COMMIT_THEN_500 }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOLD_LIMIT_MS = 30_000;

    private final int port;
    private final String username;
    private final String password;
    private HttpServer server;

    private final Map<String, ObjectNode> documents = new LinkedHashMap<>();
    private String failKey;
    private final Map<String, Integer> applied = new HashMap<>();
    private final List<String> arrivalOrder = new ArrayList<>();
    private final Map<String, String> positions = new HashMap<>();
    private boolean refuseRegistrations;
    private final List<Set<String>> requestHeaders = new ArrayList<>();
    private final List<String> requestPaths = new ArrayList<>();
    private final List<String> registrations = new ArrayList<>();
    private Behaviour behaviour = Behaviour.OK;
    private int failuresLeft = -1;
    private int ignored;
    private long delayMs;
    /** Imports are held until this many have arrived (0: none held), at most {@link #HOLD_LIMIT_MS}. */
    private int holdUntilArrived;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger importRequests = new AtomicInteger();

    public TestCentral(String username, String password) {
        this.port = TributaryApp.freePort();
        this.username = username;
        this.password = password;
        up();
    }

    public TestCentral() {
        this(null, null);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts listening (again) on the same port. */
    public synchronized void up() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Stops listening: connections are refused, as when the central node is down. */
    public synchronized void down() {
        server.stop(0);
    }

    @Override
    public void close() {
        down();
    }

    /** Answer the next {@code times} import requests this way (-1 = until changed), then OK. */
    public synchronized void behave(Behaviour behaviour, int times) {
        this.behaviour = behaviour;
        this.failuresLeft = times;
    }

    /** Answers 500 to every import whose body contains this {@code _key} (null: none). */
    public synchronized void failBatchesContaining(String key) {
        failKey = key == null ? null : "\"_key\":\"" + key + "\"";
    }

    public synchronized void delay(long ms) {
        this.delayMs = ms;
    }

    /**
     * Holds every import until {@code imports} have arrived in all, so that the first ones are in flight
     * together however slow the machine is (a delay only makes that likely).
     */
    public synchronized void holdUntilArrived(int imports) {
        this.holdUntilArrived = imports;
        notifyAll();
    }

    private synchronized void awaitHeld() {
        notifyAll();
        long deadline = System.nanoTime() + HOLD_LIMIT_MS * 1_000_000;
        while (importRequests.get() < holdUntilArrived && System.nanoTime() < deadline) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public synchronized Map<String, ObjectNode> documents() {
        return new LinkedHashMap<>(documents);
    }

    public synchronized int documentCount() {
        return documents.size();
    }

    /** How many successful imports wrote or ignored this key (1 = it arrived exactly once). */
    public synchronized int timesApplied(String key) {
        return applied.getOrDefault(key, 0);
    }

    public synchronized List<String> arrivalOrder() {
        return new ArrayList<>(arrivalOrder);
    }

    public synchronized int ignored() {
        return ignored;
    }

    public synchronized String position(String source) {
        return positions.get(source);
    }

    public synchronized List<Set<String>> requestHeaders() {
        return new ArrayList<>(requestHeaders);
    }

    public synchronized List<String> requestPaths() {
        return new ArrayList<>(requestPaths);
    }

    /** The source ids that registered, in order. */
    /** The answer to every registration while {@link #refuseRegistrations(boolean)} is on: a 409 as the real registry's. */
    public static final String REGISTRATION_REFUSED = "{\"error\":true,\"errorNum\":1200,\"errorMessage\":"
            + "\"source id is already registered by another database or table\",\"code\":409}";

    public synchronized void refuseRegistrations(boolean refuse) {
        refuseRegistrations = refuse;
    }

    public synchronized List<String> registrations() {
        return new ArrayList<>(registrations);
    }

    public int importRequests() {
        return importRequests.get();
    }

    public int maxConcurrentImports() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange http) throws IOException {
        try (http) {
            if (username != null && !authorized(http)) {
                respond(http, 401, "{\"error\":true,\"code\":401,\"errorMessage\":\"not authorized\"}");
                return;
            }
            String path = http.getRequestURI().getPath();
            if (http.getRequestMethod().equals("GET") && path.startsWith("/_api/tributary/positions/")) {
                String source = URLDecoder.decode(path.substring("/_api/tributary/positions/".length()), StandardCharsets.UTF_8);
                String position = position(source);
                respond(http, position == null ? 404 : 200, position == null ? "{\"error\":true,\"code\":404}"
                        : JSON.writeValueAsString(Map.of("source", source, "position", position)));
                return;
            }
            if (http.getRequestMethod().equals("PUT") && path.startsWith("/_api/tributary/sources/")) {
                // a source registers once per start before its first import; the stand-in accepts every registration
                // unless told to refuse them
                boolean refuse;
                synchronized (this) {
                    registrations.add(path.substring("/_api/tributary/sources/".length()));
                    refuse = refuseRegistrations;
                }
                http.getRequestBody().readAllBytes();
                if (refuse) {
                    respond(http, 409, REGISTRATION_REFUSED);
                } else {
                    respond(http, 200, "{\"error\":false,\"code\":200,\"result\":\"unchanged\"}");
                }
                return;
            }
            if (!http.getRequestMethod().equals("POST") || !path.endsWith("/_api/import")) {
                respond(http, 404, "{\"error\":true,\"code\":404,\"errorMessage\":\"unknown path\"}");
                return;
            }
            importRequests.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            awaitHeld();
            Answer answer;
            try {
                answer = importBatch(http);
            } finally {
                // before the answer is sent: once the client has it, it may send its next batch at once
                inFlight.decrementAndGet();
            }
            respond(http, answer.status(), answer.body());
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private Answer importBatch(HttpExchange http) throws IOException {
        byte[] body = http.getRequestBody().readAllBytes();
        long delay;
        synchronized (this) {
            delay = delayMs;
            requestHeaders.add(new TreeSet<>(http.getRequestHeaders().keySet()));
            requestPaths.add(http.getRequestURI().toString());
        }
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, String> query = query(http.getRequestURI());
        String collection = query.get("collection");
        String versionAttribute = query.get("versionAttribute");
        Behaviour now = nextBehaviour();
        synchronized (this) {
            if (failKey != null && new String(body, StandardCharsets.UTF_8).contains(failKey)) {
                now = Behaviour.FAIL_500;
            }
        }
        if (now == Behaviour.FAIL_500) {
            return new Answer(500, "{\"error\":true,\"code\":500,\"errorNum\":4,\"errorMessage\":\"simulated failure\"}");
        }
        if (now == Behaviour.FAIL_409) {
            return new Answer(409, "{\"error\":true,\"code\":409,\"errorNum\":1210,\"errorMessage\":\"unique constraint violated\"}");
        }
        JsonNode docs = JSON.readTree(body);
        int created = 0;
        int updated = 0;
        int ignoredNow = 0;
        synchronized (this) {
            for (JsonNode doc : docs) {
                String key = collection + "/" + doc.get("_key").asText();
                ObjectNode existing = documents.get(key);
                applied.merge(key, 1, Integer::sum);
                arrivalOrder.add(doc.get("_key").asText());
                if (existing != null && versionAttribute != null && existing.has(versionAttribute)
                        && doc.path(versionAttribute).asLong() <= existing.get(versionAttribute).asLong()) {
                    ignoredNow++;
                    continue;
                }
                documents.put(key, (ObjectNode) doc);
                if (existing == null) {
                    created++;
                } else {
                    updated++;
                }
            }
            ignored += ignoredNow;
            String source = http.getRequestHeaders().getFirst("X-Tributary-Source");
            String position = http.getRequestHeaders().getFirst("X-Tributary-Position");
            if (source != null && position != null) {
                positions.merge(source, position, (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
        }
        if (now == Behaviour.COMMIT_THEN_500) {
            return new Answer(500, "{\"error\":true,\"code\":500,\"errorMessage\":\"response lost\"}");
        }
        return new Answer(201, JSON.writeValueAsString(Map.of("error", false, "created", created, "errors", 0, "empty", 0,
                "updated", updated, "ignored", ignoredNow)));
    }

    private synchronized Behaviour nextBehaviour() {
        Behaviour now = behaviour;
        if (failuresLeft > 0 && --failuresLeft == 0) {
            behaviour = Behaviour.OK;
        }
        return now;
    }

    private boolean authorized(HttpExchange http) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return expected.equals(http.getRequestHeaders().getFirst("Authorization"));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> result = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                result.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return result;
    }

    private record Answer(int status, String body) {
    }

    private static void respond(HttpExchange http, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        http.getResponseHeaders().set("Content-Type", "application/json");
        http.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(bytes);
        }
    }
}
