package io.steep.repl.tray.connection;

import com.fasterxml.jackson.databind.JsonNode;

/** A line the daemon pushed after {@code events.subscribe}: {@code {"event":…,"data":…}}. */
public record DaemonEvent(String event, JsonNode data) {

    public static final String STATUS_CHANGED = "status.changed";
    public static final String HEALTH_CHANGED = "health.changed";
    public static final String NODE_CHANGED = "node.changed";
    public static final String AUDIT_APPENDED = "audit.appended";
}
