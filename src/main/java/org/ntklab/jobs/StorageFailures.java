package org.ntklab.jobs;

import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Locale;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Recognises the database failures that are worth waiting out: the database cannot be reached
 * (connection refused or broken, no connection within the pool's timeout) or it has no disk
 * space left. Anything else (a constraint violated, a malformed statement) will fail again.
 */
public final class StorageFailures {

    /** PostgreSQL's SQLSTATE disk_full; class 08 is "connection exception", 53 "insufficient resources". */
    private static final String DISK_FULL = "53100";

    private StorageFailures() {
    }

    /** Whether {@code e} (or a cause) says the database could not be reached. */
    public static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException || t instanceof SocketException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code e} (or a cause) says the database's disk is full. */
    public static boolean outOfSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && DISK_FULL.equals(sql.getSQLState())) {
                return true;
            }
            String message = t.getMessage();
            if (message != null) {
                String m = message.toLowerCase(Locale.ROOT);
                if (m.contains("no space left on device") || m.contains("disk full") || m.contains("not enough disk space")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a write that failed with {@code e} may succeed if retried later. */
    public static boolean retryable(Throwable e) {
        return unreachable(e) || outOfSpace(e);
    }
}
