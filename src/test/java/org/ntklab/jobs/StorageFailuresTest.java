package org.ntklab.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import org.h2.api.ErrorCode;
import org.h2.message.DbException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * {@link StorageFailures}: which database failures are waited out (503 with Retry-After, a write
 * retried) and which are not, as they reach the service: through Spring's translation, with H2's
 * and PostgreSQL's own codes.
 */
class StorageFailuresTest {

    private static final SQLErrorCodeSQLExceptionTranslator H2 = new SQLErrorCodeSQLExceptionTranslator("H2");

    /** As {@code JdbcTemplate} throws it: what the translator makes of it, else uncategorized. */
    private static DataAccessException translated(SQLException e) {
        DataAccessException translated = H2.translate("query", "select 1", e);
        return translated != null ? translated : new UncategorizedSQLException("query", "select 1", e);
    }

    @Test
    void aConnectionBrokenOnTheClientSideIsUnreachable() {
        SQLException broken = DbException.get(ErrorCode.CONNECTION_BROKEN_1, "java.net.SocketException: Connection reset")
                .getSQLException();
        assertThat(StorageFailures.unreachable(translated(broken))).isTrue();
        assertThat(StorageFailures.retryable(translated(broken))).isTrue();
    }

    /**
     * The failure the outage test met once in CI: the H2 server read EOF on its socket and its
     * error reached the client as a plain I/O exception, message only, no cause. Spring calls it
     * uncategorized; it is the connection breaking all the same.
     */
    @Test
    void anH2ServersNetworkErrorRelayedToTheClientIsUnreachable() {
        SQLException relayed = DbException.get(ErrorCode.IO_EXCEPTION_1, new EOFException().toString()).getSQLException();
        assertThat(relayed.getCause()).isNull();
        assertThat(translated(relayed)).isInstanceOf(UncategorizedSQLException.class);
        assertThat(StorageFailures.unreachable(translated(relayed))).isTrue();
        assertThat(StorageFailures.retryable(translated(relayed))).isTrue();

        SQLException refused = DbException.get(ErrorCode.IO_EXCEPTION_2,
                new ConnectException("Connection refused").toString(), "localhost:9092").getSQLException();
        assertThat(StorageFailures.unreachable(translated(refused))).isTrue();
    }

    @Test
    void anEmbeddedDatabasesFileErrorIsNotANetworkFailure() {
        SQLException file = DbException.get(ErrorCode.IO_EXCEPTION_2,
                "java.nio.channels.ClosedChannelException", "/data/ntklab.mv.db").getSQLException();
        assertThat(StorageFailures.unreachable(translated(file))).isFalse();
        assertThat(StorageFailures.retryable(translated(file))).isFalse();
    }

    @Test
    void connectionExceptionsAndThePoolsTimeoutAreUnreachable() {
        assertThat(StorageFailures.unreachable(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(StorageFailures.unreachable(new SQLException("terminated by administrator", "08006"))).isTrue();
        assertThat(StorageFailures.unreachable(new SQLTransientConnectionException("pool timeout"))).isTrue();
        assertThat(StorageFailures.unreachable(new CannotCreateTransactionException("no connection"))).isTrue();
        assertThat(StorageFailures.unreachable(new RuntimeException(new ConnectException("refused")))).isTrue();
    }

    @Test
    void aFullDiskIsRetryableButNotUnreachable() {
        SQLException postgres = new SQLException("could not extend file: No space left on device", "53100");
        assertThat(StorageFailures.outOfSpace(postgres)).isTrue();
        assertThat(StorageFailures.unreachable(postgres)).isFalse();
        assertThat(StorageFailures.retryable(postgres)).isTrue();
    }

    @Test
    void whatWouldFailAgainIsNeither() {
        SQLException duplicate = new SQLIntegrityConstraintViolationException("duplicate key", "23505");
        assertThat(StorageFailures.retryable(translated(duplicate))).isFalse();
        SQLException syntax = DbException.get(ErrorCode.SYNTAX_ERROR_1, "selec").getSQLException();
        assertThat(StorageFailures.retryable(translated(syntax))).isFalse();
        SQLException otherIo = DbException.get(ErrorCode.IO_EXCEPTION_1, "java.io.IOException: Input/output error")
                .getSQLException();
        assertThat(StorageFailures.unreachable(otherIo)).isFalse();
        assertThat(StorageFailures.retryable(new IllegalStateException("bug"))).isFalse();
    }
}
