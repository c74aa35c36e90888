package io.tributary.sql;

import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.core.NestedRuntimeException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way Tributary talks to a database: Spring's {@link JdbcTemplate} for statements (connections,
 * statements and result sets are closed by it), {@link TransactionTemplate} for transactions, and
 * {@link TransactionRetry} around a transaction that collided with a concurrent one. Inside
 * {@link #transaction} every statement of the template runs on the transaction's connection.
 */
public final class Jdbc {

    /** Rows per network round trip while a query streams (PostgreSQL streams only inside a transaction). */
    public static final int FETCH_SIZE = 1000;
    /** Keys per {@code IN (...)} list: well below every driver's parameter limit. */
    public static final int IN_LIST_SIZE = 500;

    private final DataSource dataSource;
    private final JdbcTemplate template;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transactions;
    private final TransactionTemplate readOnly;
    private final TransactionTemplate snapshot;
    private final TransactionTemplate serializable;
    private final TransactionTemplate outside;
    private final int maxAttempts;
    private volatile Dialect dialect;

    /** Runs a collided transaction up to 5 times. */
    public Jdbc(DataSource dataSource) {
        this(dataSource, 5);
    }

    public Jdbc(DataSource dataSource, int maxAttempts) {
        this.dataSource = dataSource;
        this.template = new JdbcTemplate(dataSource);
        this.template.setFetchSize(FETCH_SIZE);
        this.named = new NamedParameterJdbcTemplate(template);
        // a failed commit is translated like a failed statement, so a collision found at commit is retried too
        JdbcTransactionManager manager = new JdbcTransactionManager(dataSource);
        this.transactions = new TransactionTemplate(manager);
        this.readOnly = new TransactionTemplate(manager);
        this.readOnly.setReadOnly(true);
        this.snapshot = new TransactionTemplate(manager);
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.serializable = new TransactionTemplate(manager);
        this.serializable.setReadOnly(true);
        this.serializable.setIsolationLevel(TransactionDefinition.ISOLATION_SERIALIZABLE);
        this.outside = new TransactionTemplate(manager);
        this.outside.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The database's dialect, detected on first use (so a database that is down at start-up is not fatal). */
    public Dialect dialect() {
        Dialect d = dialect;
        if (d == null) {
            d = Dialect.of(dataSource);
            dialect = d;
        }
        return d;
    }

    public JdbcTemplate template() {
        return template;
    }

    /** Named parameters; a collection value expands to {@code IN (?, ?, ...)}. */
    public NamedParameterJdbcTemplate named() {
        return named;
    }

    /**
     * {@code work} in one transaction, committed when it returns and rolled back when it throws; run again
     * from the start when it collided with a concurrent transaction ({@link Dialect#isTransient}).
     * {@code what} names the work in the log line of each new attempt. Inside a transaction already open on
     * this DataSource the work joins it, and only the outermost transaction is run again. A database failure
     * is Spring's {@link org.springframework.dao.DataAccessException}; {@link #reason} gives its message.
     */
    public <T> T transaction(String what, TransactionCallback<T> work) {
        if (TransactionSynchronizationManager.hasResource(dataSource)) {
            return transactions.execute(work);
        }
        try {
            return new TransactionRetry(maxAttempts, dialect()::isTransient, 20)
                    .run(what, () -> transactions.execute(work));
        } catch (SQLException e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * A read in one read-only transaction: PostgreSQL streams a large result with a cursor only inside a
     * transaction, and every statement in {@code work} sees the same data where the database gives
     * transactions one snapshot.
     */
    public <T> T read(TransactionCallback<T> work) {
        return readOnly.execute(work);
    }

    /**
     * A read in one read-only transaction that sees one state of the database: on PostgreSQL and MariaDB
     * (InnoDB) REPEATABLE READ, where every statement in {@code work} reads the snapshot its first statement
     * took, whatever commits meanwhile; on H2 SERIALIZABLE, since its REPEATABLE READ still shows rows other
     * transactions insert. A long read (a backup) so sees one state of its tables.
     */
    public <T> T snapshot(TransactionCallback<T> work) {
        return (dialect() == Dialect.H2 ? serializable : snapshot).execute(work);
    }

    /** {@code work} outside any transaction open on this thread, which is suspended meanwhile. */
    public <T> T outsideTransaction(TransactionCallback<T> work) {
        return outside.execute(work);
    }

    /**
     * Runs a {@code CREATE ... IF NOT EXISTS} that a concurrent creator (another node, another connection)
     * may race ({@link Dialect#isConcurrentCreation}): run again, the statement finds the object.
     */
    public void create(String ddl) {
        try {
            new TransactionRetry(3, dialect()::isConcurrentCreation, 0).run(ddl, () -> {
                template.execute(ddl);
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException(ddl + " failed: " + e.getMessage(), e);
        }
    }

    /** {@code action} for each consecutive piece of {@code items} of at most {@link #IN_LIST_SIZE}. */
    public static <T> void inChunks(List<T> items, Consumer<List<T>> action) {
        for (int from = 0; from < items.size(); from += IN_LIST_SIZE) {
            action.accept(items.subList(from, Math.min(items.size(), from + IN_LIST_SIZE)));
        }
    }

    /** The database's own message of a failed statement or transaction, without Spring's wrapping of the SQL text. */
    public static String reason(NestedRuntimeException e) {
        Throwable cause = e.getMostSpecificCause();
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /** The {@link SQLException} behind a failure, or null. */
    public static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }
}
