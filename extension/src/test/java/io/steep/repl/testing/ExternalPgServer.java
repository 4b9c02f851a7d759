package io.steep.repl.testing;

import java.net.URI;

/** An already running server named by {@code -Dsteep.pg.url}; tests cannot stop it. */
final class ExternalPgServer implements PgServer {

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private ExternalPgServer(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    static ExternalPgServer fromSystemProperties() {
        String url = System.getProperty("steep.pg.url");
        if (url == null || !url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("-Dsteep.pg=url needs -Dsteep.pg.url=jdbc:postgresql://host:port/db (got " + url + ")");
        }
        URI uri = URI.create(url.substring("jdbc:".length()));
        return new ExternalPgServer(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
                System.getProperty("steep.pg.user", "postgres"), System.getProperty("steep.pg.password", ""));
    }

    @Override public String host() { return host; }
    @Override public int port() { return port; }
    @Override public String superuser() { return user; }
    @Override public String password() { return password; }
    @Override public int majorVersion() { return 18; }
    @Override public boolean controllable() { return false; }

    @Override
    public void stop(StopMode mode) {
        throw new UnsupportedOperationException("an external server cannot be stopped by tests");
    }

    @Override
    public void start() {
        throw new UnsupportedOperationException("an external server cannot be started by tests");
    }
}
