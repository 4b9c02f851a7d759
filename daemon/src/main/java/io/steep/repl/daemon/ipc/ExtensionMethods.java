package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code extension.status|install}: the steep_repl extension in the daemon's own database, through the daemon's
 * own pool (so its role and database are the ones checked). Every refusal says what to run instead.
 */
final class ExtensionMethods {

    private static final Logger LOG = LoggerFactory.getLogger(ExtensionMethods.class);

    static final String EXTENSION = "steep_repl";
    static final int MIN_SERVER_VERSION_NUM = 180000;

    private static final String STATE_SQL = """
            SELECT current_database(), current_user, current_setting('is_superuser') = 'on',
                   current_setting('server_version'), current_setting('server_version_num')::int,
                   (SELECT default_version FROM pg_available_extensions WHERE name = ?),
                   (SELECT extversion FROM pg_extension WHERE extname = ?)""";

    private ExtensionMethods() {
    }

    static List<IpcMethod> all(DataSource dataSource, Runnable changed) {
        return List.of(new Status(dataSource), new Install(dataSource, changed));
    }

    /** What the server says about itself and the extension. Versions null when absent. */
    record State(String database, String role, boolean superuser, String serverVersion, int serverVersionNum,
                 String defaultVersion, String installedVersion) {

        boolean supported() {
            return serverVersionNum >= MIN_SERVER_VERSION_NUM;
        }

        boolean updateAvailable() {
            return installedVersion != null && defaultVersion != null && !installedVersion.equals(defaultVersion);
        }

        ObjectNode json() {
            ObjectNode o = JsonNodeFactory.instance.objectNode()
                    .put("database", database)
                    .put("role", role)
                    .put("superuser", superuser)
                    .put("server_version", serverVersion)
                    .put("server_version_num", serverVersionNum)
                    .put("supported", supported())
                    .put("available", defaultVersion != null)
                    .put("default_version", defaultVersion)
                    .put("installed", installedVersion != null)
                    .put("installed_version", installedVersion)
                    .put("update_available", updateAvailable());
            return o;
        }

        static State read(Connection c) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(STATE_SQL)) {
                ps.setString(1, EXTENSION);
                ps.setString(2, EXTENSION);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new State(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4), rs.getInt(5),
                            rs.getString(6), rs.getString(7));
                }
            }
        }
    }

    record Status(DataSource dataSource) implements IpcMethod {
        @Override
        public String name() {
            return IpcMethods.EXTENSION_STATUS;
        }

        @Override
        public Object handle(JsonNode params, CallContext ctx) throws IpcException {
            try (Connection c = dataSource.getConnection()) {
                return State.read(c).json();
            } catch (SQLException e) {
                throw SqlFailures.toIpc(e, "reading the steep_repl extension status");
            }
        }
    }

    /**
     * {@code CREATE EXTENSION IF NOT EXISTS steep_repl}, or {@code ALTER EXTENSION steep_repl UPDATE} when an older
     * version is installed; nothing when the default version is installed. One install at a time per daemon.
     */
    static final class Install implements IpcMethod {
        private final DataSource dataSource;
        private final Runnable changed;
        private final ReentrantLock lock = new ReentrantLock();

        Install(DataSource dataSource, Runnable changed) {
            this.dataSource = dataSource;
            this.changed = changed;
        }

        @Override
        public String name() {
            return IpcMethods.EXTENSION_INSTALL;
        }

        @Override
        public Access access() {
            return Access.PRIVILEGED;
        }

        @Override
        public Object handle(JsonNode params, CallContext ctx) throws IpcException {
            lock.lock();
            try (Connection c = dataSource.getConnection()) {
                State before = State.read(c);
                if (!before.supported()) {
                    throw unsupported(before.serverVersion(), null);
                }
                String action;
                try (Statement s = c.createStatement()) {
                    if (before.installedVersion() == null) {
                        s.execute("CREATE EXTENSION IF NOT EXISTS " + EXTENSION);
                        action = "created";
                    } else if (before.updateAvailable()) {
                        s.execute("ALTER EXTENSION " + EXTENSION + " UPDATE");
                        action = "updated";
                    } else {
                        action = "unchanged";
                    }
                } catch (SQLException e) {
                    throw refusal(e, before);
                }
                State after = State.read(c);
                if (!action.equals("unchanged")) {
                    LOG.info("steep_repl extension {} in database {} (version {} → {})", action, after.database(),
                            before.installedVersion(), after.installedVersion());
                    changed.run();
                }
                ObjectNode result = after.json().put("action", action);
                if (before.installedVersion() != null) {
                    result.put("previous_version", before.installedVersion());
                }
                return result;
            } catch (SQLException e) {
                throw SqlFailures.toIpc(e, "installing the steep_repl extension");
            } finally {
                lock.unlock();
            }
        }

        private static IpcException refusal(SQLException e, State state) {
            String sqlState = e.getSQLState() == null ? "" : e.getSQLState();
            String server = firstLine(e.getMessage());
            if (server.contains("requires PostgreSQL 18")) {
                return unsupported(state.serverVersion(), e);
            }
            if (sqlState.equals("58P01") || (sqlState.equals("0A000") && server.contains("is not available"))
                    || (state.defaultVersion() == null && state.installedVersion() == null)) {
                return new IpcException(IpcErrorCode.EXTENSION_FILES_MISSING, "PostgreSQL " + state.serverVersion()
                        + " has no steep_repl extension files (" + server + "). Install the steep-repl package on the"
                        + " database server (it puts steep_repl.control and steep_repl--*.sql into"
                        + " $(pg_config --sharedir)/extension), or put those files in DIR/extension and set"
                        + " extension_control_path = '$system:DIR' in postgresql.conf, reload PostgreSQL, and install again", e);
            }
            if (sqlState.equals("42501")) {
                return new IpcException(IpcErrorCode.PERMISSION_DENIED, "CREATE EXTENSION steep_repl needs a superuser and"
                        + " the daemon connects as " + state.role() + " (" + server + "); run it as postgres: psql -c"
                        + " 'CREATE EXTENSION steep_repl' " + state.database() + ", then give the daemon's role access: psql -c"
                        + " \"SELECT steep_repl.grant_daemon_access('" + state.role() + "')\" " + state.database(), e);
            }
            if (sqlState.equals("22023") && server.contains("update path")) {
                return new IpcException(IpcErrorCode.EXTENSION_FILES_MISSING, "the steep_repl files on the database server"
                        + " cannot update version " + state.installedVersion() + " to " + state.defaultVersion() + " ("
                        + server + "); install the steep-repl package of this release on the database server, which"
                        + " ships the update scripts, and install again", e);
            }
            return SqlFailures.toIpc(e, "installing the steep_repl extension");
        }

        private static IpcException unsupported(String serverVersion, SQLException cause) {
            return new IpcException(IpcErrorCode.UNSUPPORTED_VERSION, "steep_repl requires PostgreSQL 18 or later (server"
                    + " is " + serverVersion + "); upgrade the server (pg_upgrade) or point the postgresql section of"
                    + " the daemon's config at a PostgreSQL 18 server", cause);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
