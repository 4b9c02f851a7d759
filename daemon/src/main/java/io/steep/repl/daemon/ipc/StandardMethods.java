package io.steep.repl.daemon.ipc;

import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.message.HealthResult;
import io.steep.repl.ipc.message.StatusResult;

import javax.sql.DataSource;
import java.util.function.Supplier;

/** Builds the registry of every protocol method: real ones where their inputs exist, placeholders for the rest. */
public final class StandardMethods {

    private StandardMethods() {
    }

    /**
     * @param dataSource the daemon's pool (nodes.list, nodes.get, audit.query)
     * @param status     current {@code status.get} answer (may throw {@link SourceMethod.StateUnavailable})
     * @param health     current {@code health.check} answer
     * @param config     the effective configuration (a record/map/JsonNode); secrets are redacted by config.get
     * @param events     the broadcaster the daemon's components publish to
     */
    public static MethodRegistry create(DataSource dataSource, Supplier<StatusResult> status, Supplier<HealthResult> health,
                                        Supplier<?> config, EventBroadcaster events) {
        MethodRegistry r = new MethodRegistry();
        r.register(new SourceMethod(IpcMethods.STATUS_GET, status));
        r.register(new SourceMethod(IpcMethods.HEALTH_CHECK, health));
        r.register(new NodesListMethod(dataSource));
        r.register(new NodesGetMethod(dataSource));
        r.register(new AuditQueryMethod(dataSource));
        r.register(new ConfigGetMethod(config));
        r.register(new EventsSubscribeMethod(events));
        NotImplementedMethods.registerAll(r);
        return r;
    }
}
