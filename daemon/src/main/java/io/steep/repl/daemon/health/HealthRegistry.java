package io.steep.repl.daemon.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.db.Database;
import io.steep.repl.daemon.db.PgStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Where components report their health. {@code postgresql} comes from the database monitor's snapshot (no query
 * per probe); servers such as IPC and gRPC {@link #register} a supplier under their name when they start.
 * Until a server registers, its entry says honestly what is the case: {@code disabled} when the config turns it
 * off, {@code not_included} when this build has no such server yet (both count as healthy so they do not hold
 * the node out of service).
 */
public final class HealthRegistry {

    public static final String POSTGRESQL = "postgresql";
    public static final String GRPC = "grpc";
    public static final String IPC = "ipc";

    private final DaemonConfig config;
    private final Database database;
    private final MeterRegistry meters;
    private final Map<String, Supplier<ComponentHealth>> probes = new ConcurrentHashMap<>();
    private volatile BooleanSupplier coordinator = () -> false;

    public HealthRegistry(DaemonConfig config, Database database, MeterRegistry meters) {
        this.config = config;
        this.database = database;
        this.meters = meters;
        gauge(POSTGRESQL);
        gauge(GRPC);
        gauge(IPC);
        if (meters != null) {
            Gauge.builder("steep_repl_postgresql_latency_ms", database, d -> d.status().latencyMillis())
                    .description("Round trip of the last PostgreSQL probe query (-1 while unreachable)").register(meters);
            Gauge.builder("steep_repl_health_status", this, r -> r.healthy() ? 1 : 0)
                    .description("1 when /health reports healthy").register(meters);
        }
    }

    /** A server reports its health under {@code name} (e.g. {@link #IPC}, {@link #GRPC}); called on every /health. Must be cheap. */
    public void register(String name, Supplier<ComponentHealth> probe) {
        if (probes.put(name, probe) == null) {
            gauge(name);
        }
    }

    public void unregister(String name) {
        probes.remove(name);
    }

    /** Who knows whether this node is the coordinator (the cluster component, later) tells /health through this. */
    public void coordinator(BooleanSupplier isCoordinator) {
        this.coordinator = isCoordinator;
    }

    public boolean isCoordinator() {
        return coordinator.getAsBoolean();
    }

    public ComponentHealth postgresql() {
        PgStatus s = database.status();
        return new ComponentHealth(s.ready(), s.state().wire(), s.serverVersion().orElse(null), 0,
                s.latencyMillis() >= 0 ? s.latencyMillis() : null, s.error().orElse(null));
    }

    /** postgresql first, then grpc and ipc, then anything else registered. */
    public Map<String, ComponentHealth> snapshot() {
        Map<String, ComponentHealth> out = new LinkedHashMap<>();
        out.put(POSTGRESQL, postgresql());
        out.put(GRPC, probeOr(GRPC, config.grpc().enabled()));
        out.put(IPC, probeOr(IPC, config.ipc().enabled()));
        probes.forEach((name, p) -> out.putIfAbsent(name, safely(name, p)));
        return out;
    }

    public boolean healthy() {
        return snapshot().values().stream().allMatch(ComponentHealth::healthy);
    }

    private ComponentHealth probeOr(String name, boolean enabled) {
        Supplier<ComponentHealth> p = probes.get(name);
        if (p != null) {
            return safely(name, p);
        }
        return ComponentHealth.up(enabled ? "not_included" : "disabled");
    }

    private static ComponentHealth safely(String name, Supplier<ComponentHealth> p) {
        try {
            return p.get();
        } catch (RuntimeException e) {
            return ComponentHealth.down("error", name + " health check failed: " + e.getMessage());
        }
    }

    private void gauge(String name) {
        if (meters != null) {
            Gauge.builder("steep_repl_component_healthy", this, r -> {
                        ComponentHealth h = r.snapshot().get(name);
                        return h != null && h.healthy() ? 1 : 0;
                    })
                    .tag("component", name).description("1 when the component reports healthy").register(meters);
        }
    }
}
