package io.steep.repl.daemon.db;

import org.postgresql.ds.PGSimpleDataSource;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The physical connections of the pool: pgjdbc configured through properties (never a URL built from strings,
 * so a password may contain any character), and on every new session the setting {@code steep_repl.actor}, so
 * the extension's audit triggers name this node rather than the pool's role. Set with a bound parameter.
 */
final class ActorDataSource implements DataSource {

    private final PGSimpleDataSource pg;
    private final String actor;

    ActorDataSource(PGSimpleDataSource pg, String actor) {
        this.pg = pg;
        this.actor = actor;
    }

    /** A new password for the next connections (password_command re-run after an authentication failure). */
    void setPassword(String password) {
        pg.setPassword(password);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = pg.getConnection();
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('steep_repl.actor', ?, false)")) {
            ps.setString(1, actor);
            ps.execute();
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials come from the daemon's configuration");
    }

    @Override public PrintWriter getLogWriter() { return null; }
    @Override public void setLogWriter(PrintWriter out) { }
    @Override public void setLoginTimeout(int seconds) { pg.setLoginTimeout(seconds); }
    @Override public int getLoginTimeout() { return pg.getLoginTimeout(); }
    @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException { throw new SQLFeatureNotSupportedException(); }
    @Override public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) return iface.cast(this);
        throw new SQLException("not a wrapper for " + iface);
    }
    @Override public boolean isWrapperFor(Class<?> iface) { return iface.isInstance(this); }
}
