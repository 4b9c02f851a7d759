package io.steep.repl.daemon.lifecycle;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.steep.repl.daemon.Version;
import io.steep.repl.daemon.audit.AuditEvent;
import io.steep.repl.daemon.audit.AuditPruner;
import io.steep.repl.daemon.audit.AuditSpool;
import io.steep.repl.daemon.audit.AuditWriter;
import io.steep.repl.daemon.certs.TlsMaterial;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.db.Backoff;
import io.steep.repl.daemon.db.Database;
import io.steep.repl.daemon.health.HealthRegistry;
import io.steep.repl.daemon.health.HttpHealthServer;
import io.steep.repl.daemon.grpc.CoordinatorComponent;
import io.steep.repl.daemon.ipc.IpcComponent;
import io.steep.repl.daemon.ipc.AdminDeps;
import io.steep.repl.daemon.ipc.AdminMethods;
import io.steep.repl.daemon.ipc.JoinAction;
import io.steep.repl.daemon.ipc.MethodRegistry;
import io.steep.repl.daemon.service.ServiceControl;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The daemon: takes the single-instance lock, builds the {@link DaemonContext}, and starts the components in
 * this order (stopped in reverse):
 * <ol>
 *   <li>components given by the caller to run first (the embedded PostgreSQL of the developer main job)</li>
 *   <li>{@code postgresql} — pool + monitor; never waits for the server</li>
 *   <li>{@code audit} — spool + delivery; {@code audit-retention}</li>
 *   <li>servers: IPC, then gRPC (whose TLS files load in parallel from the start), and any extra components</li>
 *   <li>{@code http} — last, so /ready never answers before everything behind it exists</li>
 * </ol>
 * Then {@code daemon.started} is audited. {@link #stop()} audits {@code daemon.stopped}, gives the audit
 * writer a few seconds to deliver it, and stops everything newest first.
 */
public final class Daemon {

    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    static final Duration AUDIT_FLUSH_ON_STOP = Duration.ofSeconds(5);

    private final DaemonConfig config;
    private final Backoff backoff;
    private final List<Component> first;
    private final List<Function<DaemonContext, Component>> extra;
    private InstanceLock lock;
    private ComponentStack stack;
    private DaemonContext ctx;
    private HttpHealthServer http;
    private JvmGcMetrics gcMetrics;
    private boolean stopped;
    private boolean started;

    /**
     * @param first components started before the database (and stopped after it)
     * @param extra further components built from the context, started after the built-in servers, before HTTP
     */
    public Daemon(DaemonConfig config, Backoff backoff, List<Component> first, List<Function<DaemonContext, Component>> extra) {
        this.config = config;
        this.backoff = backoff;
        this.first = List.copyOf(first);
        this.extra = List.copyOf(extra);
    }

    public Daemon(DaemonConfig config) {
        this(config, Backoff.DEFAULT, List.of(), List.of());
    }

    public synchronized DaemonContext start() throws StartupException {
        lock = InstanceLock.acquire(config.audit().spoolDir());
        // the TLS files load on threads of their own while everything before the gRPC server starts
        CompletableFuture<TlsMaterial> tlsAhead = config.grpc().enabled() ? CoordinatorComponent.loadTlsAhead(config.grpc().tls()) : null;
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(meters);

        Database database = new Database(config, meters, backoff);
        AuditWriter audit = new AuditWriter(config.audit().spoolDir(), database, meters);
        HealthRegistry health = new HealthRegistry(config, database, meters);
        health.register("audit", audit::health);
        ctx = new DaemonContext(config, database, audit, health, meters, Instant.now(), Version.current());

        List<Component> order = new ArrayList<>(first);
        order.add(database);
        order.add(audit);
        order.add(new AuditPruner(database, config.audit().retention()));
        // Servers, in start order: IPC (local admin), then gRPC (node-to-node). IPC reads the gRPC side only per
        // request (status.get says "not listening" until gRPC is up).
        CoordinatorComponent coordinator = config.grpc().enabled() ? new CoordinatorComponent(ctx, tlsAhead) : null;
        if (config.ipc().enabled()) {
            order.add(new IpcComponent(ctx, coordinator, adminMethods(ctx, coordinator)));
        }
        if (coordinator != null) {
            order.add(coordinator);
        }
        for (Function<DaemonContext, Component> f : extra) {
            order.add(f.apply(ctx));
        }
        if (config.http().enabled()) {
            http = new HttpHealthServer(ctx);
            order.add(http);
        }
        stack = new ComponentStack(order);
        try {
            stack.start();
        } catch (StartupException e) {
            spoolStartFailure(e.getMessage());
            closeQuietly();
            throw e;
        }
        started = true;
        ctx.audit("daemon.started", "node", config.nodeId(), facts());
        log.info("steep-repl {} started as node {} (pid {}) in {} ms", ctx.version(), config.nodeId(),
                ProcessHandle.current().pid(), System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime());
        return ctx;
    }

    public synchronized DaemonContext context() {
        return ctx;
    }

    /** The HTTP server, or null when {@code http.enabled} is false. */
    public synchronized HttpHealthServer http() {
        return http;
    }

    /**
     * For the shutdown hook: waits for a start in progress, then stops if the daemon is running.
     * @return null when it was not running (start failed or never called), else whether the stop was clean
     */
    public synchronized Boolean stopIfRunning() {
        if (stack == null || stopped || !started) {
            return null;
        }
        return stop();
    }

    /** Graceful stop; returns false if some component did not stop cleanly. Idempotent. */
    public synchronized boolean stop() {
        if (stopped || !started) {
            return true;
        }
        stopped = true;
        log.info("steep-repl stopping");
        ctx.audit("daemon.stopped", "node", config.nodeId(), facts());
        try {
            if (!ctx.audit().flush(AUDIT_FLUSH_ON_STOP)) {
                log.info("PostgreSQL is not reachable: daemon.stopped stays in the audit spool until the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean clean = stack.stop();
        closeQuietly();
        log.info("steep-repl stopped");
        return clean;
    }

    /** The IPC admin methods (service.*, certs.*, extension.*, nodes.join) over this daemon's parts. */
    private static java.util.function.Consumer<MethodRegistry> adminMethods(DaemonContext ctx, CoordinatorComponent coordinator) {
        // the node is looked up per call: a join before gRPC is up says so; null = gRPC disabled (UNAVAILABLE)
        JoinAction join = coordinator == null ? null : peer -> coordinator.node()
                .orElseThrow(() -> new IllegalStateException("the gRPC node is not running"))
                .join(peer);
        return registry -> AdminMethods.install(registry, new AdminDeps(ctx.database().dataSource(),
                () -> awaitExtensionSeen(ctx), ctx.config(), Clock.systemUTC(), ServiceControl.forThisHost(), join));
    }

    /**
     * After extension.install: re-probe now and wait (briefly) until the monitor sees the extension, so the answer
     * and the status a client reads right after it agree, instead of lagging one probe interval behind.
     */
    private static void awaitExtensionSeen(DaemonContext ctx) {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        ctx.database().probeSoon();
        while (ctx.database().status().extensionVersion().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            ctx.database().probeSoon();
        }
    }

    private Map<String, Object> facts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", ctx.version());
        m.put("pid", ProcessHandle.current().pid());
        m.put("uptime_seconds", ctx.uptime().toSeconds());
        return m;
    }

    /** The audit writer may already be stopped; the spool is still ours (we hold the lock), so the failure goes there. */
    private void spoolStartFailure(String message) {
        try (AuditSpool spool = new AuditSpool(config.audit().spoolDir())) {
            spool.append(AuditEvent.failure("daemon.start_failed", config.actor(), "node", config.nodeId(),
                    Map.of("version", Version.current(), "pid", ProcessHandle.current().pid()), message));
        } catch (IOException | RuntimeException e) {
            log.warn("could not spool the start failure: {}", e.getMessage());
        }
    }

    private void closeQuietly() {
        if (gcMetrics != null) {
            gcMetrics.close();
        }
        if (ctx != null) {
            ctx.meters().close();
        }
        try {
            if (lock != null) {
                lock.close();
            }
        } catch (IOException e) {
            log.debug("lock release", e);
        }
    }
}
