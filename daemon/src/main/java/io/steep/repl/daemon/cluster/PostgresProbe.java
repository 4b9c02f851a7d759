package io.steep.repl.daemon.cluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;

/** Whether this node's PostgreSQL answers; drives {@code HealthCheck} and the standard gRPC health service. */
@FunctionalInterface
public interface PostgresProbe {

    record PostgresState(boolean connected, String version, String message) {
    }

    PostgresState check();

    /** Asks the server itself: a pool that hands out a connection to a dead server is not "connected". */
    static PostgresProbe of(DataSource dataSource) {
        return () -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                return new PostgresState(true, rs.getString(1), "connected");
            } catch (Exception e) {
                return new PostgresState(false, "", String.valueOf(e.getMessage()));
            }
        };
    }
}
