package io.tributary.cli;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The databases one command-line run opens, closed together at its end. A password is read from the
 * environment variable named on the command line, never from an argument (those show in {@code ps}).
 */
public final class CommandLineDatabases implements AutoCloseable {

    private final Map<String, String> env;
    private final List<HikariDataSource> opened = new ArrayList<>();

    public CommandLineDatabases(Map<String, String> env) {
        this.env = env;
    }

    /** A small pool on {@code url}; {@code passwordEnv} names the variable holding the password (null: none). */
    public DataSource open(String url, String user, String passwordEnv) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setUsername(user);
        ds.setPassword(CommandLineTool.secret(env, passwordEnv));
        ds.setMaximumPoolSize(2);
        opened.add(ds);
        return ds;
    }

    @Override
    public void close() {
        opened.forEach(HikariDataSource::close);
    }
}
