package io.steep.repl.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server a test talks to. One per test JVM (see {@link RealPostgres}); tests isolate
 * themselves by asking for a fresh database with {@link #createDatabase(String)}.
 */
public interface PgServer {

    /** How a controllable server is stopped, mirroring {@code pg_ctl stop -m}. */
    enum StopMode { FAST, IMMEDIATE }

    String host();

    int port();

    String superuser();

    /** Empty when the server trusts local connections. */
    String password();

    /** The server's major version, e.g. 18. */
    int majorVersion();

    default String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    default Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", superuser());
        if (!password().isEmpty()) {
            props.setProperty("password", password());
        }
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /** Creates an empty database with a unique name starting with {@code prefix} and returns the name. */
    default String createDatabase(String prefix) throws SQLException {
        String name = (prefix.replaceAll("[^a-z0-9_]", "_") + "_" + Counter.NEXT.incrementAndGet()).toLowerCase();
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name + "\"");
        }
        return name;
    }

    /** Whether {@link #stop} and {@link #start} work (false for an external server). */
    boolean controllable();

    void stop(StopMode mode);

    /** Starts a stopped server again on the same port and data. */
    void start();

    final class Counter {
        static final AtomicInteger NEXT = new AtomicInteger();

        private Counter() {
        }
    }
}
