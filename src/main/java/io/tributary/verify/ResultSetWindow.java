package io.tributary.verify;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A streaming result set seen through windows of at most {@code size} rows: {@link #resultSet()} ends
 * (its {@code next()} returns false) after {@code size} rows, so code that reads a whole result set, the
 * source's {@code ChangeFeed.changes}, converts one window at a time while the query keeps streaming.
 */
final class ResultSetWindow {

    private final ResultSet rows;
    private final int size;
    private final ResultSet window;
    private int served;
    private boolean exhausted;

    ResultSetWindow(ResultSet rows, int size) {
        this.rows = rows;
        this.size = size;
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("next") && method.getParameterCount() == 0) {
                if (exhausted || served >= this.size) {
                    return false;
                }
                served++;
                if (!this.rows.next()) {
                    exhausted = true;
                    return false;
                }
                return true;
            }
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                return null; // the query goes on; its owner closes it
            }
            try {
                return method.invoke(this.rows, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        this.window = (ResultSet) Proxy.newProxyInstance(ResultSet.class.getClassLoader(),
                new Class<?>[] {ResultSet.class}, handler);
    }

    /** Starts the next window; false once the result set has no more rows. */
    boolean next() throws SQLException {
        served = 0;
        return !exhausted;
    }

    ResultSet resultSet() {
        return window;
    }
}
