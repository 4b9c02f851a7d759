package io.steep.repl.ipc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A line the daemon pushes to a connection that called {@code events.subscribe}: {@code {"event":…,"data":…}}.
 * It has no {@code id}, which is how a client tells it from an answer.
 */
public record IpcEvent(String event, JsonNode data) {

    /** Status of the daemon changed (data: a {@code status.get} result). */
    public static final String STATUS_CHANGED = "status.changed";
    /** Component health changed (data: a {@code health.check} result). */
    public static final String HEALTH_CHANGED = "health.changed";
    /** A node was registered, updated or removed (data: {@code {"node": NodeInfo, "change": "registered|updated|removed"}}). */
    public static final String NODE_CHANGED = "node.changed";
    /** An audit row was written (data: an {@code AuditEntry}). */
    public static final String AUDIT_APPENDED = "audit.appended";

    public static final java.util.List<String> ALL = java.util.List.of(STATUS_CHANGED, HEALTH_CHANGED, NODE_CHANGED, AUDIT_APPENDED);
}
