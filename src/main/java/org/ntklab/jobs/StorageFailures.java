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
 *
 * <p>A connection to H2 in server mode can break in two ways. When the client sees it, H2 says
 * so with a connection exception (90067, a {@link SQLNonTransientConnectionException}). When the
 * server sees it first (its read of the request ends early), the client receives the server's
 * own I/O error instead: a plain {@link SQLException} with code 90028 or 90031 whose message
 * names the network exception, with no Java cause. Those are recognised by their message; an
 * I/O error of an embedded database's files is not a network failure and is not.
 */
public final class StorageFailures {

    /** PostgreSQL's SQLSTATE disk_full; class 08 is "connection exception", 53 "insufficient resources". */
    private static final String DISK_FULL = "53100";
    /** H2's IO_EXCEPTION_1 and IO_EXCEPTION_2 error codes. */
    private static final int H2_IO_EXCEPTION_1 = 90028;
    private static final int H2_IO_EXCEPTION_2 = 90031;

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
            if (t instanceof SQLException sql && (sql.getSQLState() != null && sql.getSQLState().startsWith("08")
                    || h2NetworkError(sql))) {
                return true;
            }
        }
        return false;
    }

    /** An H2 server's I/O error relayed to its client, naming a network exception (its message is all there is). */
    private static boolean h2NetworkError(SQLException sql) {
        if (sql.getErrorCode() != H2_IO_EXCEPTION_1 && sql.getErrorCode() != H2_IO_EXCEPTION_2) {
            return false;
        }
        String message = sql.getMessage();
        return message != null && (message.contains("java.io.EOFException") || message.contains("java.net."));
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
