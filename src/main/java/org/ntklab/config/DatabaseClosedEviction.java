package org.ntklab.config;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells the connection pool to drop a connection whose embedded H2 database has closed itself
 * (H2 closes a database whose file it could not write, e.g. when the disk is full). Without it
 * the pool would keep handing out connections to the closed database after space is freed; with
 * it, the next connection opens the database again from its file. Other errors keep HikariCP's
 * own judgement. Configured as {@code spring.datasource.hikari.exception-override-class-name}.
 */
public class DatabaseClosedEviction implements SQLExceptionOverride {

    /** H2's DATABASE_IS_CLOSED and DATABASE_CALLED_AT_SHUTDOWN error codes. */
    private static final int H2_DATABASE_IS_CLOSED = 90098;
    private static final int H2_DATABASE_CALLED_AT_SHUTDOWN = 90121;

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() == H2_DATABASE_IS_CLOSED
                    || sql.getErrorCode() == H2_DATABASE_CALLED_AT_SHUTDOWN)) {
                return Override.MUST_EVICT;
            }
        }
        return Override.CONTINUE_EVICT;
    }
}
