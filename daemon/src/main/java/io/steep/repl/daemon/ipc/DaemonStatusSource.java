package io.steep.repl.daemon.ipc;

import io.steep.repl.daemon.certs.CertificateExpiry;
import io.steep.repl.daemon.db.PgStatus;
import io.steep.repl.daemon.grpc.CoordinatorNode;
import io.steep.repl.daemon.health.ComponentHealth;
import io.steep.repl.daemon.lifecycle.DaemonContext;
import io.steep.repl.ipc.message.HealthResult;
import io.steep.repl.ipc.message.StatusResult;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds the {@code status.get} and {@code health.check} answers from the daemon's live state — in-memory
 * snapshots only, so an IPC round trip never waits for PostgreSQL.
 *
 * @param cluster the running coordinator node, empty when gRPC is disabled or not started
 * @param certificate this node's certificate expiry, empty without TLS
 */
public record DaemonStatusSource(DaemonContext ctx, Supplier<Optional<CoordinatorNode>> cluster,
                                 Supplier<Optional<CertificateExpiry>> certificate) {

    public StatusResult status() {
        PgStatus pg = ctx.database().status();
        var pgc = ctx.config().postgresql();
        Optional<CoordinatorNode.Status> grpc = cluster.get().map(CoordinatorNode::status);
        Optional<CertificateExpiry> cert = certificate.get();
        return new StatusResult(
                "running",
                (int) ProcessHandle.current().pid(),
                ctx.uptime().toSeconds(),
                ctx.startedAt(),
                ctx.version(),
                new StatusResult.PostgresqlInfo(pg.ready(), pg.serverVersion().orElse(null), pgc.host(), pgc.port()),
                new StatusResult.GrpcInfo(grpc.map(CoordinatorNode.Status::running).orElse(false),
                        ctx.config().grpc().enabled() ? ctx.config().grpc().port() : null,
                        grpc.map(CoordinatorNode.Status::tlsEnabled).orElse(false),
                        cert.map(CertificateExpiry::notAfter).orElse(null),
                        cert.map(CertificateExpiry::daysLeft).orElse(null)),
                new StatusResult.LocalNodeInfo(ctx.config().nodeId(), ctx.config().nodeName(),
                        grpc.map(s -> s.cluster().isCoordinator()).orElse(false),
                        grpc.map(s -> s.cluster().clusterSize()).orElse(1)));
    }

    public HealthResult health() {
        Map<String, HealthResult.ComponentHealth> out = new LinkedHashMap<>();
        boolean healthy = true;
        boolean warning = false;
        for (Map.Entry<String, ComponentHealth> e : ctx.health().snapshot().entrySet()) {
            ComponentHealth h = e.getValue();
            healthy &= h.healthy();
            warning |= h.healthy() && h.error() != null;
            out.put(e.getKey(), new HealthResult.ComponentHealth(h.healthy(), h.status(), h.latencyMs(), h.error()));
        }
        return new HealthResult(!healthy ? "unhealthy" : warning ? "degraded" : "healthy", out);
    }
}
