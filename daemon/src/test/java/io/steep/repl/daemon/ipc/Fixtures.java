package io.steep.repl.daemon.ipc;

import io.steep.repl.testing.IpcAddress;
import io.steep.repl.ipc.message.HealthResult;
import io.steep.repl.ipc.message.StatusResult;
import io.steep.repl.ipc.transport.AccessPolicy;
import io.steep.repl.ipc.transport.IpcEndpoint;
import org.postgresql.ds.PGSimpleDataSource;

import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.config.PlatformPaths;
import io.steep.repl.daemon.service.Launcher;
import io.steep.repl.daemon.service.RecordingRunner;
import io.steep.repl.daemon.service.ServiceControl;
import io.steep.repl.daemon.service.ServiceHost;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        IpcServer s = new IpcServer(IpcEndpoint.of(IpcAddress.of(socket), AccessPolicy.OWNER_ONLY), methods, events, options);
        s.start();
        return s;
    }

    /** The daemon's registry: StandardMethods plus the admin methods over a scratch machine (see {@link #adminDeps}). */
    static MethodRegistry standard(DataSource ds, EventBroadcaster events) {
        MethodRegistry r = StandardMethods.create(ds, () -> STATUS, () -> HEALTH, () -> CONFIG, events);
        try {
            AdminMethods.install(r, adminDeps(ds, Files.createTempDirectory("steep-admin-"), new RecordingRunner(), null));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return r;
    }

    /**
     * Admin dependencies confined to {@code dir}: the config file is {@code dir/config.yaml} (so certificates default
     * to {@code dir/certs}), the service host is a Linux machine whose file system is {@code dir/root}, with
     * systemd running and the DEB's launcher present, and whose service-manager programs are {@code runner}.
     */
    static AdminDeps adminDeps(DataSource ds, Path dir, RecordingRunner runner, JoinAction join) throws java.io.IOException {
        ServiceHost host = new ServiceHost(PlatformPaths.Os.LINUX, dir.resolve("root"), "/home/alice", Map.of("USER", "alice"),
                runner, Optional.empty(), Optional.empty(), false);
        Files.createDirectories(host.file("/run/systemd/system"));
        Path launcher = host.file(Launcher.packageDefault(PlatformPaths.Os.LINUX));
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
        if (io.steep.repl.daemon.PosixModes.supported(launcher)) { // Windows has no mode bits: any file runs
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return new AdminDeps(ds, null, config(dir, true, Optional.empty()), Clock.systemUTC(), new ServiceControl(host), join);
    }

    /** A configuration read from {@code dir/config.yaml} (the file need not exist), gRPC on or off, TLS files optional. */
    static DaemonConfig config(Path dir, boolean grpc, Optional<Path> certFile) {
        return new DaemonConfig(dir.resolve("config.yaml"), "node-a", "Node A", 50,
                new DaemonConfig.Postgres("127.0.0.1", 5432, "steep", "steep_repl", "", List.of(), "disable", 2),
                new DaemonConfig.Grpc(grpc, "127.0.0.1", 5433, Optional.of("node-a.example"),
                        new DaemonConfig.Tls(certFile, certFile.map(f -> f.resolveSibling("node-key.pem")),
                                certFile.map(f -> f.resolveSibling("ca-cert.pem")), false)),
                new DaemonConfig.Http(false, "127.0.0.1", 0),
                new DaemonConfig.Ipc(true, IpcAddress.of(dir.resolve("ipc.sock")), Optional.empty()),
                new DaemonConfig.Cluster(List.of(), Duration.ofSeconds(5), 3, Optional.empty()),
                new DaemonConfig.Audit(Duration.ofDays(30), dir.resolve("spool")),
                new DaemonConfig.Logging("info", Optional.empty()));
    }
}
