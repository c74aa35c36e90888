package io.tributary.verify;

import io.tributary.http.ApiException;
import io.tributary.http.CollectionName;
import io.tributary.source.CaptureMode;
import io.tributary.source.ChangeFeed.ColumnCase;
import io.tributary.sql.SqlIdentifier;
import javax.sql.DataSource;

/**
 * What a verify needs to know about one source: the same settings its route template was given, so the
 * table is read and its rows become documents exactly as the source does it. Built from a running
 * source ({@link ConfiguredSources}) or from the command line ({@link VerifyCommand}), never from a
 * request: a verify can only read a table some source is configured to send.
 *
 * @param timestampColumn null unless {@code mode} is timestamp
 * @param statusDataSource where the source's watermark lives (what is not yet sent is "pending")
 * @param database the central ArangoDB database, empty for the default one
 */
public record SourceSettings(String sourceId, DataSource dataSource, String table, String keyColumn, CaptureMode mode,
                             String timestampColumn, String keyOrder, String keyPrefix, ColumnCase columnCase,
                             DataSource statusDataSource, String statusTable, String centralUrl, String database,
                             String collection, boolean createCollection, String centralUsername,
                             String centralPassword) {

    public SourceSettings {
        if (sourceId == null || sourceId.isBlank() || dataSource == null || centralUrl == null || centralUrl.isBlank()
                || collection == null || collection.isBlank()) {
            throw new IllegalArgumentException("a verify needs sourceId, dataSource, centralUrl and collection");
        }
        SqlIdentifier.requireQualified("table", table);
        SqlIdentifier.require("keyColumn", keyColumn);
        SqlIdentifier.requireQualified("statusTable", statusTable);
        if (mode == CaptureMode.TIMESTAMP) {
            SqlIdentifier.require("timestampColumn", timestampColumn);
        } else {
            timestampColumn = null;
        }
        if (database == null) {
            database = "";
        }
        if (!database.isEmpty()) {
            try {
                CollectionName.requireDatabase(database); // the central node's rule: it would refuse any other name
            } catch (ApiException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        keyPrefix = keyPrefix == null ? "" : keyPrefix;
        centralUsername = centralUsername == null ? "" : centralUsername;
        centralPassword = centralPassword == null ? "" : centralPassword;
        centralUrl = centralUrl.endsWith("/") ? centralUrl.substring(0, centralUrl.length() - 1) : centralUrl;
    }

    /** The central database as its sync API names it. */
    public String centralDatabase() {
        return database.isEmpty() ? "_system" : database;
    }

    /** The path the source posts its batches to. */
    public String importPath() {
        return database.isEmpty() ? "/_api/import" : "/_db/" + database + "/_api/import";
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "source " + sourceId + " (" + table + " -> " + centralUrl + " " + collection + ", mode "
                + mode.parameterValue() + ")";
    }
}
