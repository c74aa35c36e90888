package io.tributary.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.tributary.sql.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh, empty database on one of the real servers (or an H2 file), created for one test class
 * and dropped afterwards. Tests talk to the same servers the product is used with.
 *
 * <p>Behaviour that must hold on every database is written once, in an abstract {@code <Thing>Contract}
 * that declares {@code abstract Dialect dialect()} and creates its databases with
 * {@code TestDatabase.create(dialect(), ...)}; {@code <Thing>H2Test}, {@code <Thing>PostgresTest} and
 * {@code <Thing>MariaDbTest} each name their database and may add tests only that database has.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    public static final String MARIADB_ADMIN_URL = "jdbc:mariadb://127.0.0.1:3306/";

    private final Dialect dialect;
    private final String name;
    private final String jdbcUrl;
    private final String user;
    private final Path h2Dir;
    private HikariDataSource dataSource;

    private TestDatabase(Dialect dialect, String name, String jdbcUrl, String user, Path h2Dir) {
        this.dialect = dialect;
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.h2Dir = h2Dir;
    }

    public static TestDatabase create(Dialect dialect, String label) {
        String name = ("trib_" + label + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try {
            switch (dialect) {
                case POSTGRESQL -> {
                    try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, "postgres", "");
                         Statement s = c.createStatement()) {
                        s.execute("CREATE DATABASE " + name);
                    }
                    return new TestDatabase(dialect, name, "jdbc:postgresql://127.0.0.1:5432/" + name, "postgres", null);
                }
                case MARIADB -> {
                    try (Connection c = DriverManager.getConnection(MARIADB_ADMIN_URL, "root", "");
                         Statement s = c.createStatement()) {
                        s.execute("CREATE DATABASE " + name);
                    }
                    return new TestDatabase(dialect, name, "jdbc:mariadb://127.0.0.1:3306/" + name, "root", null);
                }
                default -> {
                    Path dir = Files.createTempDirectory("tributary-h2-");
                    return new TestDatabase(dialect, name,
                            "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath() + ";AUTO_SERVER=TRUE", "sa", dir);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create test database on " + dialect + ": " + e.getMessage(), e);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    /** DDL of a generated, increasing BIGINT primary key column, as a change table has. */
    public String identityKey() {
        return dialect == Dialect.POSTGRESQL ? "BIGSERIAL PRIMARY KEY" : "BIGINT AUTO_INCREMENT PRIMARY KEY";
    }

    /** Properties that define a pooled DataSource bean of this name in Camel Main. */
    public Map<String, String> beanProperties(String beanName) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.beans." + beanName, "#class:com.zaxxer.hikari.HikariDataSource");
        p.put("camel.beans." + beanName + ".jdbcUrl", jdbcUrl);
        p.put("camel.beans." + beanName + ".username", user);
        p.put("camel.beans." + beanName + ".maximumPoolSize", "4");
        return p;
    }

    public synchronized HikariDataSource dataSource() {
        if (dataSource == null) {
            dataSource = new HikariDataSource();
            dataSource.setJdbcUrl(jdbcUrl);
            dataSource.setUsername(user);
            dataSource.setMaximumPoolSize(4);
        }
        return dataSource;
    }

    public void execute(String... statements) {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Runs one statement with bound parameters; returns the update count. */
    public int update(String sql, Object... args) {
        try (Connection c = dataSource().getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Rows of a query, column labels lower-cased so tests read the same on every database. */
    public List<Map<String, Object>> query(String sql, Object... args) {
        try (Connection c = dataSource().getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        Object value = rs.getObject(i);
                        if (value instanceof java.sql.Clob clob) {
                            value = clob.getSubString(1, (int) clob.length());
                        }
                        row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT), value);
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public long count(String sql, Object... args) {
        Object v = query(sql, args).get(0).values().iterator().next();
        return ((Number) v).longValue();
    }

    @Override
    public void close() {
        if (dataSource != null) {
            dataSource.close();
        }
        try {
            switch (dialect) {
                case POSTGRESQL -> {
                    try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, "postgres", "");
                         Statement s = c.createStatement()) {
                        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                    }
                }
                case MARIADB -> {
                    try (Connection c = DriverManager.getConnection(MARIADB_ADMIN_URL, "root", "");
                         Statement s = c.createStatement()) {
                        s.execute("DROP DATABASE IF EXISTS " + name);
                    }
                }
                default -> {
                    try (var files = Files.walk(h2Dir)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        } catch (Exception e) {
            System.err.println("Could not drop test database " + name + ": " + e.getMessage());
        }
    }
}
