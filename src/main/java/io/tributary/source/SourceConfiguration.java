package io.tributary.source;

import io.tributary.central.DocumentKey;
import io.tributary.central.SourcePosition;
import io.tributary.http.ApiException;
import io.tributary.http.CollectionName;
import io.tributary.source.ChangeFeed.ColumnCase;
import io.tributary.sql.SqlIdentifier;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The settings of one source, typed. Each component is the route template parameter of the same name
 * ({@code routes/change-source-template.camel.yaml}), which declares its default, description and
 * whether it is secret ({@link SourceTemplate}); the component declares its type. Built from the
 * parameters the template hands to its {@code parameters} bean, and validated when the route is made,
 * with an error naming the parameter.
 *
 * @param keyOrder null for {@code auto}: the key column's type decides
 * @param timestampColumn the last-modified column in timestamp mode; in change-table mode optional, the time of each
 *                        change (for the lag only); empty in incrementing mode
 */
public record SourceConfiguration(String sourceId, DataSource dataSource, String table, String keyColumn, CaptureMode mode,
                                  String timestampColumn, long safetyLagMs, String timestampZone, long gapTimeoutMs,
                                  KeyOrder keyOrder, int maxChanges, String keyPrefix, ColumnCase columnCase,
                                  DataSource statusDataSource, String statusTable, String centralUrl, String database,
                                  String collection, String centralUsername, String centralPassword, int downAfterFailedRuns,
                                  int batchSize, long batchTimeoutMs, long backlogIntervalMs, long backlogLimit) {

    private static final String[] REQUIRED = {"sourceId", "table", "keyColumn", "centralUrl"};

    public SourceConfiguration {
        // the central node's own rules: a value it would refuse fails here, not in every run after its retries
        centralRule(sourceId, () -> SourcePosition.requireSource(sourceId));
        centralRule(sourceId, () -> CollectionName.requireCollection(collection, "the parameter collection"));
        if (!database.isEmpty()) {
            centralRule(sourceId, () -> CollectionName.requireDatabase(database));
        }
        if (!DocumentKey.isValidPrefix(keyPrefix)) {
            throw invalid(sourceId, "invalid keyPrefix '" + ApiException.printable(keyPrefix) + "': at most "
                    + DocumentKey.MAX_PREFIX_CHARS + " of the characters of a document key, A-Z a-z 0-9 _-:.@()+,=;$!*'% (or empty)");
        }
        requireHttpUrl(sourceId, centralUrl);
        SqlIdentifier.requireQualified("table", table);
        SqlIdentifier.require("keyColumn", keyColumn);
        SqlIdentifier.requireQualified("statusTable", statusTable);
        if (mode == CaptureMode.TIMESTAMP) {
            if (timestampColumn.isBlank()) {
                throw invalid(sourceId, "parameter timestampColumn is required with mode=timestamp (the last-modified column)");
            }
            SqlIdentifier.require("timestampColumn", timestampColumn);
        } else if (mode == CaptureMode.INCREMENTING && !timestampColumn.isEmpty()) {
            throw invalid(sourceId, "timestampColumn is only used with mode=timestamp and mode=change-table");
        } else if (!timestampColumn.isEmpty()) {
            SqlIdentifier.require("timestampColumn", timestampColumn);
        }
        if (batchSize < 1) {
            throw invalid(sourceId, "batchSize must be at least 1, not " + batchSize);
        }
        if (batchTimeoutMs < 1) {
            // 0 would be an endless wait for HttpClient: a central node that never answers would stall the source
            throw invalid(sourceId, "batchTimeoutMs must be at least 1 (milliseconds), not " + batchTimeoutMs);
        }
        if (backlogIntervalMs < 1000 || backlogLimit < 1) {
            throw invalid(sourceId, "backlogIntervalMs must be at least 1000 and backlogLimit at least 1");
        }
        if (maxChanges < 1 || safetyLagMs < 0 || downAfterFailedRuns < 1 || gapTimeoutMs < 0) {
            throw invalid(sourceId, "maxChanges and downAfterFailedRuns must be positive, safetyLagMs and gapTimeoutMs not negative");
        }
        timestampZone = timestampZone.trim();
        if (!timestampZone.isEmpty()) {
            try {
                ZoneId.of(timestampZone);
            } catch (DateTimeException e) {
                throw invalid(sourceId, "invalid timestampZone '" + timestampZone + "': use a zone id such as UTC, Europe/Berlin or +02:00");
            }
        }
    }

    /**
     * The settings from the template's parameters by name: every component must be given (the template
     * gives each, with its default), each is converted to the component's type.
     */
    public static SourceConfiguration of(Map<String, Object> parameters) {
        String sourceId = String.valueOf(parameters.get("sourceId"));
        for (String name : REQUIRED) {
            if (parameters.get(name) == null || parameters.get(name).toString().isBlank()) {
                throw invalid(sourceId, "parameter " + name + " is required");
            }
        }
        RecordComponent[] components = SourceConfiguration.class.getRecordComponents();
        Object[] values = Arrays.stream(components)
                .map(c -> convert(sourceId, c.getName(), c.getType(), parameters.get(c.getName()))).toArray();
        try {
            return SourceConfiguration.class.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new)).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e);
        }
    }

    private static Object convert(String sourceId, String name, Class<?> type, Object value) {
        if (value == null || type == DataSource.class && !(value instanceof DataSource)) {
            throw invalid(sourceId, type == DataSource.class ? name + " bean not found" : "parameter " + name
                    + " was not set (the route template routes/change-source-template.camel.yaml sets every one)");
        }
        String text = value.toString();
        try {
            if (type == int.class) {
                return Integer.parseInt(text.trim());
            } else if (type == long.class) {
                return Long.parseLong(text.trim());
            } else if (type == CaptureMode.class) {
                return CaptureMode.parse(text);
            } else if (type == KeyOrder.class) {
                return KeyOrder.parse(text);
            } else if (type == ColumnCase.class) {
                return ColumnCase.parse(text);
            }
        } catch (NumberFormatException e) {
            throw invalid(sourceId, "parameter " + name + " must be a number, not '" + text + "'");
        }
        return type == String.class ? text : value;
    }

    /** A rule of the central node, which refuses with an {@link ApiException}: its message names the mistake. */
    private static void centralRule(String sourceId, Runnable rule) {
        try {
            rule.run();
        } catch (ApiException e) {
            throw invalid(sourceId, e.getMessage());
        }
    }

    /** Only the scheme is quoted: a URL may carry user info, which is never echoed. */
    private static void requireHttpUrl(String sourceId, String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw invalid(sourceId, "centralUrl is not a URL (" + e.getReason() + "): use http://host:port or https://host:port");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(sourceId, "centralUrl must be an http or https URL, not " + (scheme.isEmpty() ? "one without a scheme"
                    : "scheme '" + ApiException.printable(scheme) + "'") + ": use http://host:port or https://host:port");
        }
        if (uri.getHost() == null) {
            throw invalid(sourceId, "centralUrl names no host: use " + scheme + "://host:port");
        }
    }

    private static IllegalArgumentException invalid(String sourceId, String problem) {
        return new IllegalArgumentException("Source '" + sourceId + "': " + problem);
    }

    /** The central node's import path for this source's database. */
    public String importPath() {
        return database.isEmpty() ? "/_api/import" : "/_db/" + database + "/_api/import";
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "SourceConfiguration[sourceId=" + sourceId + ", table=" + table + ", mode=" + mode.parameterValue()
                + ", centralUrl=" + centralUrl + ", collection=" + collection + "]";
    }
}
