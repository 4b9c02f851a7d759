package io.steep.repl.daemon.db;

import java.time.Instant;
import java.util.Optional;

/**
 * What the daemon knows about its PostgreSQL right now, refreshed by {@link Database}'s monitor about once a
 * second while connected (and on every reconnection attempt while not). Reading it never touches the database.
 *
 * @param serverVersion      e.g. "18.1"; empty until the server has answered once
 * @param latencyMillis      round trip of the last probe query; -1 when unknown
 * @param error              why the state is not READY, phrased for an operator; empty when READY
 * @param extensionVersion   installed version of {@code steep_repl}; empty when missing or unknown
 * @param since              when the state last changed
 */
public record PgStatus(State state, Optional<String> serverVersion, int serverVersionNum, long latencyMillis,
                       Optional<String> error, Optional<String> extensionVersion, Instant checkedAt, Instant since) {

    public enum State {
        /** No answer yet since start-up. */
        CONNECTING("connecting"),
        /** Server answers, is 18+, and steep_repl is installed: everything may run. */
        READY("connected"),
        /** Server does not answer (down, network, bad credentials). */
        DISCONNECTED("disconnected"),
        /** Server answers but is older than 18: replication features stay off. */
        UNSUPPORTED_VERSION("unsupported_version"),
        /** Server answers but the steep_repl extension is not installed in the database. */
        EXTENSION_MISSING("extension_missing");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        /** The {@code status} string of the health contract. */
        public String wire() {
            return wire;
        }
    }

    public static PgStatus initial() {
        Instant now = Instant.now();
        return new PgStatus(State.CONNECTING, Optional.empty(), 0, -1, Optional.of("not connected yet"), Optional.empty(), now, now);
    }

    public boolean ready() {
        return state == State.READY;
    }

    /** The server answers queries (whether or not it is usable for replication). */
    public boolean reachable() {
        return state == State.READY || state == State.UNSUPPORTED_VERSION || state == State.EXTENSION_MISSING;
    }
}
