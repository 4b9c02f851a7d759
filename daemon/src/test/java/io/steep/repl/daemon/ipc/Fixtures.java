package io.steep.repl.daemon.ipc;

import io.steep.repl.ipc.message.HealthResult;
import io.steep.repl.ipc.message.StatusResult;
import io.steep.repl.ipc.transport.AccessPolicy;
import io.steep.repl.ipc.transport.IpcEndpoint;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** Test wiring: a server with fixed status/health/config suppliers. */
final class Fixtures {

    static final StatusResult STATUS = new StatusResult("running", 4242, 3600, Instant.parse("2025-12-04T10:00:00Z"), "0.1.0",
            new StatusResult.PostgresqlInfo(true, "18.1", "localhost", 5432),
            new StatusResult.GrpcInfo(true, 5433, true),
            new StatusResult.LocalNodeInfo("node-a", "Primary Node", true, 2));

    static final HealthResult HEALTH = new HealthResult("healthy", Map.of(
            "postgresql", new HealthResult.ComponentHealth(true, "connected", 2L, null),
            "grpc", new HealthResult.ComponentHealth(true, "listening"),
            "ipc", new HealthResult.ComponentHealth(true, "listening")));

    static final Map<String, Object> CONFIG = Map.of("repl", Map.of(
            "node_id", "node-a",
            "postgresql", Map.of("host", "localhost", "password", "hunter2", "password_command", "pass show pg"),
            "grpc", Map.of("tls", Map.of("key_file", "/etc/steep/certs/node.key"))));

    private Fixtures() {
    }

    /** A data source nobody listens behind: every call fails to connect. */
    static DataSource unreachableDataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {1});
        ds.setDatabaseName("nowhere");
        ds.setConnectTimeout(2);
        return ds;
    }

    static IpcServer server(Path socket, MethodRegistry methods, EventBroadcaster events, IpcServerOptions options) throws Exception {
        IpcServer s = new IpcServer(IpcEndpoint.of(socket.toString(), AccessPolicy.OWNER_ONLY), methods, events, options);
        s.start();
        return s;
    }

    static MethodRegistry standard(DataSource ds, EventBroadcaster events) {
        return StandardMethods.create(ds, () -> STATUS, () -> HEALTH, () -> CONFIG, events);
    }
}
