package io.steep.repl.ipc.message;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** One row of {@code steep_repl.nodes} as {@code nodes.list} and {@code nodes.get} return it (upstream's names). */
public record NodeInfo(
        @JsonProperty("node_id") String nodeId,
        @JsonProperty("node_name") String nodeName,
        String host,
        int port,
        int priority,
        @JsonProperty("is_coordinator") boolean isCoordinator,
        /** null until the first heartbeat */
        @JsonProperty("last_seen") Instant lastSeen,
        String status) {

    /** The values {@code status} (and {@code status_filter}) can take, as the extension's CHECK allows. */
    public static final java.util.List<String> STATUSES = java.util.List.of("unknown", "healthy", "degraded", "unreachable", "offline");
}
