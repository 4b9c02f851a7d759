package io.steep.repl.daemon.cluster;

import java.util.Locale;
import java.util.Optional;

/** The values of {@code steep_repl.nodes.status} (the extension's CHECK constraint lists exactly these). */
public enum NodeStatus {
    UNKNOWN, HEALTHY, DEGRADED, UNREACHABLE, OFFLINE;

    /** The value stored in the database and sent on the wire. */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<NodeStatus> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (NodeStatus s : values()) {
            if (s.sql().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public static NodeStatus fromSql(String value) {
        return parse(value).orElseThrow(() -> new IllegalArgumentException("unknown node status '" + value + "'"));
    }
}
