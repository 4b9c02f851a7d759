package io.steep.repl.daemon.ipc;

import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** Turns a JDBC failure into the IPC error a user can act on. */
final class SqlFailures {

    private static final Logger LOG = LoggerFactory.getLogger(SqlFailures.class);

    private SqlFailures() {
    }

    static IpcException toIpc(SQLException e, String doing) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || state.startsWith("08") || state.startsWith("57P")) {
            return new IpcException(IpcErrorCode.NOT_CONNECTED, "PostgreSQL is not reachable while " + doing + " ("
                    + firstLine(e.getMessage()) + "); check that the server runs and the postgresql section of the config");
        }
        if (state.equals("42P01") || state.equals("3F000")) {
            return new IpcException(IpcErrorCode.EXTENSION_NOT_INSTALLED, "the steep_repl extension is not installed in the "
                    + "configured database; install it with extension.install (or CREATE EXTENSION steep_repl)");
        }
        if (state.equals("42501")) {
            return new IpcException(IpcErrorCode.INTERNAL_ERROR, "the daemon's PostgreSQL role may not read the steep_repl "
                    + "tables; a superuser must run SELECT steep_repl.grant_daemon_access('<daemon role>')");
        }
        LOG.error("database error while {} (SQLSTATE {})", doing, state, e);
        return new IpcException(IpcErrorCode.INTERNAL_ERROR, "database error while " + doing + " (SQLSTATE " + state
                + "); the daemon's log has the details");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
