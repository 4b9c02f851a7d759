package io.steep.repl.daemon.ipc;

import io.micrometer.core.instrument.Gauge;
import io.steep.repl.daemon.grpc.CoordinatorComponent;
import io.steep.repl.daemon.health.ComponentHealth;
import io.steep.repl.daemon.health.HealthRegistry;
import io.steep.repl.daemon.lifecycle.Component;
import io.steep.repl.daemon.lifecycle.DaemonContext;
import io.steep.repl.daemon.lifecycle.StartupException;
import io.steep.repl.ipc.transport.AccessPolicy;
import io.steep.repl.ipc.transport.IpcEndpoint;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The local IPC endpoint as a lifecycle component: the method registry (upstream's methods, the admin methods),
 * the server on the configured socket / pipe, and the event feed for {@code events.subscribe}.
 */
public final class IpcComponent implements Component {

    private final DaemonContext ctx;
    private final CoordinatorComponent coordinator;
    private final Consumer<MethodRegistry> adminMethods;
    private final EventBroadcaster events = new EventBroadcaster();
    private IpcServer server;
    private DaemonEvents feed;
    private DaemonStatusSource source;

    /**
     * @param coordinator  the gRPC side, null when gRPC is disabled
     * @param adminMethods installs the admin methods (service.*, certs.*, extension.*, nodes.join) into the registry
     */
    public IpcComponent(DaemonContext ctx, CoordinatorComponent coordinator, Consumer<MethodRegistry> adminMethods) {
        this.ctx = ctx;
        this.coordinator = coordinator;
        this.adminMethods = adminMethods;
    }

    @Override
    public String name() {
        return "ipc";
    }

    public DaemonStatusSource source() {
        return source;
    }

    public EventBroadcaster events() {
        return events;
    }

    @Override
    public void start() throws StartupException {
        source = new DaemonStatusSource(ctx,
                () -> coordinator == null ? Optional.empty() : coordinator.node(),
                () -> coordinator == null ? Optional.empty() : coordinator.certificate());
        MethodRegistry methods = StandardMethods.create(ctx.database().dataSource(), source::status, source::health,
                () -> ConfigView.of(ctx.config()), events);
        adminMethods.accept(methods);
        AccessPolicy access = ctx.config().ipc().allowedGroup().map(AccessPolicy::allowingGroup).orElse(AccessPolicy.OWNER_ONLY);
        server = new IpcServer(IpcEndpoint.of(ctx.config().ipc().path(), access), methods, events, IpcServerOptions.defaults());
        try {
            server.start();
        } catch (IOException e) {
            // EndpointInUseException / EndpointRefusedException carry the operator's one line
            throw new StartupException("ipc: " + e.getMessage());
        }
        ctx.health().register(HealthRegistry.IPC, () -> server.isListening()
                ? ComponentHealth.up("listening") : ComponentHealth.down("stopped", "the IPC endpoint is closed"));
        Gauge.builder("steep_repl_ipc_connections", server, IpcServer::connectionCount)
                .description("IPC clients connected now").register(ctx.meters());
        feed = new DaemonEvents(events, source, ctx.database().dataSource(), Duration.ofSeconds(1));
        ctx.database().addListener(feed::onPostgres);
        feed.start();
    }

    @Override
    public void stop() {
        ctx.health().unregister(HealthRegistry.IPC);
        if (feed != null) {
            feed.close();
        }
        if (server != null) {
            server.close(); // closes connections and removes the socket file
        }
    }
}
