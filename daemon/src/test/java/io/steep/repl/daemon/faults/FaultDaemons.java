package io.steep.repl.daemon.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.daemon.TestConfigs;
import io.steep.repl.daemon.certs.ClusterCa;
import io.steep.repl.daemon.certs.NodeCertificateIssuer;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.db.Backoff;
import io.steep.repl.daemon.lifecycle.Daemon;
import io.steep.repl.ipc.client.IpcClient;
import io.steep.repl.ipc.transport.AccessPolicy;
import io.steep.repl.ipc.transport.IpcEndpoint;
import io.steep.repl.testing.PgServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** In-process daemons for the fault tests: real PG 18 database, real certificates, fast reconnects. */
final class FaultDaemons {

    static final Duration T = Duration.ofSeconds(10);
    /** Short waits so 20 PostgreSQL restarts fit in seconds; the production default backs off to 30 s. */
    static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(500));

    private FaultDaemons() {
    }

    static String database(PgServer pg, String prefix) throws Exception {
        String db = pg.createDatabase(prefix);
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION steep_repl");
        }
        return db;
    }

    /** gRPC with mutual TLS on a free port, certificates valid for a year, heartbeats every 200 ms. */
    static String grpcSection(Path dir, String nodeId) throws Exception {
        Path certs = dir.resolve("certs");
        ClusterCa.initialize(certs.resolve("ca"), "fault test CA", 3650, false, Clock.systemUTC());
        NodeCertificateIssuer.issue(certs.resolve("ca"), nodeId, List.of("127.0.0.1", "localhost"), 365, certs, false, Clock.systemUTC());
        return """
                grpc:
                  bind: 127.0.0.1
                  port: %d
                  tls: {cert_file: %s, key_file: %s, ca_file: %s}
                cluster:
                  heartbeat_interval: 200ms
                """.formatted(TestConfigs.freePort(), certs.resolve("node-cert.pem"), certs.resolve("node-key.pem"),
                certs.resolve("ca-cert.pem"));
    }

    static DaemonConfig config(Path dir, PgServer pg, String db, String extraYaml, Map<String, String> env) throws Exception {
        return TestConfigs.load(TestConfigs.write(dir, pg, db, extraYaml), env);
    }

    static Daemon start(DaemonConfig config) throws Exception {
        Daemon daemon = new Daemon(config, FAST, List.of(), List.of());
        daemon.start();
        assertThat(daemon.context().database().awaitReady(Duration.ofSeconds(30))).as("PostgreSQL ready").isTrue();
        return daemon;
    }

    static IpcClient ipc(DaemonConfig config) throws Exception {
        return IpcClient.connect(IpcEndpoint.of(config.ipc().path(), AccessPolicy.OWNER_ONLY), T);
    }

    static JsonNode call(DaemonConfig config, String method) throws Exception {
        try (IpcClient c = ipc(config)) {
            return c.call(method, null, T);
        }
    }

    static HttpResponse<String> http(Daemon daemon, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + daemon.http().port() + path)).timeout(T).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
