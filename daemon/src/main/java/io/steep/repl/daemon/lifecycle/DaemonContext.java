package io.steep.repl.daemon.lifecycle;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.steep.repl.daemon.audit.AuditEvent;
import io.steep.repl.daemon.audit.AuditWriter;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.db.Database;
import io.steep.repl.daemon.health.HealthRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What every component gets: the loaded config, the database (pool + live status), the audit writer, the
 * health registry, the metrics registry, start time and version. Built once by {@link Daemon}.
 */
public record DaemonContext(DaemonConfig config, Database database, AuditWriter audit, HealthRegistry health,
                            PrometheusMeterRegistry meters, Instant startedAt, String version) {

    /** This node as the health contract and status.get describe it. */
    public record NodeInfo(String nodeId, String nodeName, boolean isCoordinator) {
    }

    public NodeInfo node() {
        return new NodeInfo(config.nodeId(), config.nodeName(), health.isCoordinator());
    }

    public Duration uptime() {
        return Duration.between(startedAt, Instant.now());
    }

    /** Records an audit event of this node (actor {@code role@node_id}); durable when this returns. */
    public void audit(String action, String targetType, String targetId, Map<String, Object> details) {
        audit.record(AuditEvent.success(action, config.actor(), targetType, targetId, details));
    }

    public void auditFailure(String action, String targetType, String targetId, Map<String, Object> details, String error) {
        audit.record(AuditEvent.failure(action, config.actor(), targetType, targetId, details, error));
    }
}
