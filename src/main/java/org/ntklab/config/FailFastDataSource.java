package org.ntklab.config;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A circuit breaker in front of the connection pool of a database reached over the network. A
 * probe thread checks the database every {@code interval} on a connection of its own (outside the
 * pool), with connect and query timeouts of {@code timeout}. While the last probe failed, asking
 * for a connection fails at once with {@link SQLTransientConnectionException} (SQLSTATE 08001), so
 * readiness, {@code /actuator/health} and API calls answer 503 within about
 * {@code interval + timeout} instead of waiting out the pool's connection timeout (30 s by
 * default). Threads already waiting in the pool when the probe fails are interrupted out of that
 * wait and get the same exception. The first successful probe closes the breaker again; nothing
 * needs restarting.
 *
 * <p>Not used for the embedded H2 file database, which cannot be unreachable (its failures, such
 * as a full disk, have their own answers).
 */
public final class FailFastDataSource extends DelegatingDataSource implements AutoCloseable {

    /** SQLSTATE class 08, connection exception: {@code StorageFailures.unreachable} recognises it. */
    static final String UNREACHABLE_STATE = "08001";

    private static final Logger log = LoggerFactory.getLogger(FailFastDataSource.class);

    private final String url;
    private final Properties credentials;
    private final Duration timeout;
    private final Clock clock;
    private final ScheduledExecutorService probe;
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private volatile Instant downSince;
    private volatile String reason;
    private Connection probeConnection;

    /** One thread waiting for a pooled connection, and whether the breaker interrupted it. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        boolean interrupted;
    }

    /**
     * @param target   the pool
     * @param url      the JDBC URL the pool connects to
     * @param user     its user
     * @param password its password
     * @param interval how often the probe runs
     * @param timeout  the probe's connect, login and query timeout
     */
    public FailFastDataSource(DataSource target, String url, String user, String password, Duration interval,
            Duration timeout, Clock clock) {
        super(target);
        this.url = url;
        this.timeout = timeout;
        this.clock = clock;
        this.credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
            credentials.setProperty("connectTimeout", seconds);
            credentials.setProperty("loginTimeout", seconds);
            credentials.setProperty("socketTimeout", Long.toString(Math.max(1, timeout.toSeconds() * 2)));
        }
        this.probe = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ntklab-database-probe");
            t.setDaemon(true);
            return t;
        });
        probe.scheduleWithFixedDelay(this::probe, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the database answered the last probe. */
    public boolean reachable() {
        return downSince == null;
    }

    @Override
    public Connection getConnection() throws SQLException {
        failFast();
        Waiter w = new Waiter();
        waiters.add(w);
        try {
            return super.getConnection();
        } catch (SQLException e) {
            if (w.interrupted) {
                throw unreachable(e);
            }
            throw e;
        } finally {
            release(w);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        failFast();
        return super.getConnection(username, password);
    }

    private void failFast() throws SQLTransientConnectionException {
        if (downSince != null) {
            throw unreachable(null);
        }
    }

    private SQLTransientConnectionException unreachable(Throwable cause) {
        Instant since = downSince;
        return new SQLTransientConnectionException("the database has not answered since " + (since == null ? "just now" : since)
                + " (" + reason + "); failing fast until it does", UNREACHABLE_STATE, cause);
    }

    /** Ends a wait; clears an interrupt the breaker sent, which was meant for the wait alone. */
    private void release(Waiter w) {
        synchronized (w) {
            waiters.remove(w);
            if (w.interrupted) {
                Thread.interrupted();
            }
        }
    }

    private void probe() {
        try {
            if (probeConnection == null) {
                probeConnection = connect();
            }
            if (!probeConnection.isValid((int) Math.max(1, timeout.toSeconds()))) {
                throw new SQLException("the connection did not answer within " + timeout);
            }
            if (downSince != null) {
                log.info("the database answers again after {} s; accepting requests",
                        Duration.between(downSince, clock.instant()).toSeconds());
                downSince = null;
            }
        } catch (SQLException | RuntimeException e) {
            closeProbeConnection();
            if (downSince == null) {
                reason = e.getMessage();
                downSince = clock.instant();
                log.warn("the database does not answer ({}); requests that need it fail at once with 503 until it does",
                        e.toString());
                for (Waiter w : waiters) {
                    synchronized (w) {
                        if (waiters.contains(w)) {
                            w.interrupted = true;
                            w.thread.interrupt();
                        }
                    }
                }
            }
        }
    }

    private Connection connect() throws SQLException {
        Driver driver = DriverManager.getDriver(url);
        Connection c = driver.connect(url, credentials);
        if (c == null) {
            throw new SQLException("no driver accepts " + url);
        }
        try {
            c.setNetworkTimeout(Runnable::run, (int) timeout.toMillis() * 2);
        } catch (SQLException | UnsupportedOperationException e) {
            // the driver has no network timeout (H2): isValid's own timeout applies
        }
        return c;
    }

    private void closeProbeConnection() {
        if (probeConnection != null) {
            try {
                probeConnection.close();
            } catch (SQLException e) {
                // broken already
            }
            probeConnection = null;
        }
    }

    @Override
    public void close() throws Exception {
        probe.shutdownNow();
        probe.awaitTermination(5, TimeUnit.SECONDS);
        closeProbeConnection();
        if (getTargetDataSource() instanceof AutoCloseable pool) {
            pool.close();
        }
    }
}
