package io.tributary.source;

import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.jdbc.core.ConnectionCallback;

/**
 * Which database and table a source reads, as the central node's registry sees it: a readable origin
 * (dialect, server host:port, database, schema, table, key column) and its SHA-256. Built from the
 * connection's metadata, never from credentials: user names, passwords and URL parameters are left out.
 */
public record SourceFingerprint(String origin, String sha256) {

    /** {@code jdbc:postgresql://host:5432/db?...}, {@code jdbc:mariadb://user:pw@host/db}: the server part only. */
    private static final Pattern SERVER = Pattern.compile("^jdbc:[a-z0-9]+:(?:[a-z]+:)?//(?:[^@/]*@)?([^/?;]*)");
    /** {@code jdbc:h2:file:./data/x;AUTO_SERVER=TRUE}, {@code jdbc:h2:mem:x}: the database part only. */
    private static final Pattern H2 = Pattern.compile("^jdbc:h2:([^;]*)");

    public static SourceFingerprint of(DataSource dataSource, String table, String keyColumn) {
        return new Jdbc(dataSource).template().execute((ConnectionCallback<SourceFingerprint>) c -> {
            Dialect dialect = Dialect.of(c);
            String url = c.getMetaData().getURL();
            String server = server(dialect, url == null ? "" : url);
            String catalog = c.getCatalog();
            String schema = c.getSchema();
            String origin = dialect.name().toLowerCase(Locale.ROOT) + "://" + server + "/" + (catalog == null ? "" : catalog)
                    + " table " + (table.contains(".") || schema == null ? table : schema + "." + table) + " key " + keyColumn;
            return new SourceFingerprint(origin, sha256(origin));
        });
    }

    static String server(Dialect dialect, String url) {
        Matcher m = (dialect == Dialect.H2 ? H2 : SERVER).matcher(url);
        // an H2 file path is a server of its own; a network URL may list several hosts: keep them all
        return m.find() ? m.group(1).replaceAll("[\\s@]", "") : "";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
