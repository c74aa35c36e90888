package io.tributary.cli;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The databases a command-line tool opened by URL, closed together when it ends. */
public final class OpenedDatabases implements AutoCloseable {

    private final List<HikariDataSource> opened = new ArrayList<>();

    /** A small pool on {@code url}; the password comes from the environment, never from an argument. */
    public DataSource open(String url, String user, String password) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setUsername(user);
        ds.setPassword(password);
        ds.setMaximumPoolSize(2);
        opened.add(ds);
        return ds;
    }

    @Override
    public void close() {
        opened.forEach(HikariDataSource::close);
    }
}
