package io.steep.repl.tray.connection;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** One node of {@code nodes.list} (upstream's field names), read leniently: a newer daemon may add fields. */
public record NodeRow(String nodeId, String nodeName, String host, int port, int priority, boolean coordinator,
                      Instant lastSeen, String status) {

    public static NodeRow of(JsonNode n) {
        return new NodeRow(n.path("node_id").asText(""), n.path("node_name").asText(""), n.path("host").asText(""),
                n.path("port").asInt(), n.path("priority").asInt(), n.path("is_coordinator").asBoolean(),
                instant(n.get("last_seen")), n.path("status").asText("unknown"));
    }

    /** An ISO-8601 instant, or null when absent or unreadable (shown as "never"). */
    public static Instant instant(JsonNode v) {
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
