package io.steep.repl.daemon.db;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** How the monitor reads a failed probe: the pool wraps pgjdbc's exception, which wraps the socket's. */
class FailureClassificationTest {

    private static SQLException pooled(Throwable cause) {
        return new SQLTransientConnectionException("steep-repl - Connection is not available, request timed out after 3000ms", cause);
    }

    @Test
    void aRefusedConnectionIsServerDownAndRefused() {
        SQLException e = pooled(new PSQLException("Connection to 127.0.0.1:5432 refused.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                new ConnectException("Connection refused")));
        assertThat(Database.isServerDown(e)).isTrue();
        assertThat(Database.isRefused(e)).isTrue();
        assertThat(Database.isStartingUp(e)).isFalse();
    }

    @Test
    void aServerStartingUpIsDownButItsPortIsOpen() {
        SQLException e = pooled(new SQLException("FATAL: the database system is starting up", "57P03"));
        assertThat(Database.isServerDown(e)).isTrue();
        assertThat(Database.isStartingUp(e)).isTrue();
        assertThat(Database.isRefused(e)).isFalse();
    }

    @Test
    void anAuthenticationFailureIsNeitherDownNorRefused() {
        SQLException e = pooled(new SQLException("FATAL: password authentication failed for user \"steep\"", "28P01"));
        assertThat(Database.isServerDown(e)).isFalse();
        assertThat(Database.isRefused(e)).isFalse();
    }
}
