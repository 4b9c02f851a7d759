package io.steep.repl.daemon.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.daemon.TestConfigs;
import io.steep.repl.daemon.certs.ClusterCa;
import io.steep.repl.daemon.certs.NodeCertificateIssuer;
import io.steep.repl.daemon.cli.SteepReplCommand;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.db.Backoff;
import io.steep.repl.ipc.IpcEvent;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.client.IpcClient;
import io.steep.repl.ipc.transport.AccessPolicy;
import io.steep.repl.ipc.transport.IpcEndpoint;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The daemon as assembled by {@link Daemon}: PostgreSQL, audit, the mTLS gRPC node, IPC and HTTP together, on real
 * PostgreSQL 18, a real unix socket and a real TLS listener — what the tray and `steep-repl status` talk to.
 */
@ExtendWith(RealPostgres.class)
class WiredDaemonTest {

    private static final Duration T = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    private DaemonConfig config(PgServer pg, int certDays) throws Exception {
        String db = pg.createDatabase("wired");
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION steep_repl");
        }
        Path certs = dir.resolve("certs");
        ClusterCa.initialize(certs.resolve("ca"), "test CA", 20, false, Clock.systemUTC());
        NodeCertificateIssuer.issue(certs.resolve("ca"), "test-node", List.of("127.0.0.1", "localhost"), certDays, certs, false, Clock.systemUTC());
        String grpc = """
                grpc:
                  bind: 127.0.0.1
                  port: %d
                  tls: {cert_file: %s, key_file: %s, ca_file: %s}
                cluster:
                  heartbeat_interval: 200ms
                """.formatted(TestConfigs.freePort(), certs.resolve("node-cert.pem"), certs.resolve("node-key.pem"), certs.resolve("ca-cert.pem"));
        return TestConfigs.load(TestConfigs.write(dir, pg, db, grpc), Map.of());
    }

    private static Daemon start(DaemonConfig config) throws Exception {
        Daemon daemon = new Daemon(config, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), List.of(), List.of());
        daemon.start();
        assertThat(daemon.context().database().awaitReady(Duration.ofSeconds(30))).isTrue();
        return daemon;
    }

    private static IpcClient ipc(DaemonConfig config) throws Exception {
        return IpcClient.connect(IpcEndpoint.of(config.ipc().path(), AccessPolicy.OWNER_ONLY), T);
    }

    @Test
    void statusHealthConfigAndEventsOverIpcReflectTheRunningNode(PgServer pg) throws Exception {
        DaemonConfig config = config(pg, 365);
        Daemon daemon = start(config);
        try (IpcClient client = ipc(config)) {
            // the first heartbeat round registers this node and elects it
            JsonNode status = null;
            for (int i = 0; i < 100; i++) {
                status = client.call(IpcMethods.STATUS_GET, null, T);
                if (status.path("node").path("is_coordinator").asBoolean()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(status.path("state").asText()).isEqualTo("running");
            assertThat(status.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            assertThat(status.path("postgresql").path("connected").asBoolean()).isTrue();
            assertThat(status.path("postgresql").path("version").asText()).startsWith("18.");
            assertThat(status.path("grpc").path("listening").asBoolean()).isTrue();
            assertThat(status.path("grpc").path("tls_enabled").asBoolean()).isTrue();
            assertThat(status.path("grpc").path("cert_days_left").asLong()).isBetween(18L, 20L); // clamped to the CA's 20 days
            assertThat(status.path("node").path("node_id").asText()).isEqualTo("test-node");
            assertThat(status.path("node").path("is_coordinator").asBoolean()).isTrue();
            assertThat(status.path("node").path("cluster_size").asInt()).isEqualTo(1);

            JsonNode health = client.call(IpcMethods.HEALTH_CHECK, null, T);
            assertThat(health.path("components").fieldNames()).toIterable().contains("postgresql", "grpc", "ipc", "certificate");
            assertThat(health.path("components").path("certificate").path("status").asText()).isEqualTo("expiring_soon");
            assertThat(health.path("status").asText()).as("a certificate warning degrades, it does not fail").isEqualTo("degraded");

            JsonNode cfg = client.call(IpcMethods.CONFIG_GET, null, T);
            assertThat(cfg.path("repl").path("node_id").asText()).isEqualTo("test-node");
            assertThat(cfg.path("repl").path("grpc").path("tls").path("key_file").asText()).endsWith("node-key.pem");
            assertThat(cfg.toString()).doesNotContain("BEGIN");

            // a DBA takes a node offline with psql: subscribers hear about it from the audit trail
            BlockingQueue<IpcEvent> events = new LinkedBlockingQueue<>();
            client.subscribe(List.of(IpcEvent.NODE_CHANGED, IpcEvent.AUDIT_APPENDED), events::add, T);
            // the tail has anchored at the end of the log when its snapshot of the registered nodes arrives (this
            // node, as "updated"): only a node registered after that comes as "registered"
            assertThat(firstNodeChange(events, "test-node")).as("the event tail's snapshot of this node")
                    .isNotNull().extracting(e -> e.data().path("change").asText()).isEqualTo("updated");
            try (Connection c = pg.connect(config.postgresql().database()); Statement s = c.createStatement()) {
                s.execute("INSERT INTO steep_repl.nodes (node_id, node_name, host, port, status) VALUES ('other', 'Other', 'h', 5433, 'offline')");
            }
            IpcEvent nodeEvent = null;
            boolean audit = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((nodeEvent == null || !audit) && System.nanoTime() < deadline) {
                IpcEvent e = events.poll(200, TimeUnit.MILLISECONDS);
                if (e == null) {
                    continue;
                }
                if (e.event().equals(IpcEvent.NODE_CHANGED) && e.data().path("node").path("node_id").asText().equals("other")) {
                    nodeEvent = e;
                }
                audit |= e.event().equals(IpcEvent.AUDIT_APPENDED) && e.data().path("action").asText().equals("node.registered");
            }
            assertThat(nodeEvent).as("node.changed for the new node").isNotNull();
            assertThat(nodeEvent.data().path("change").asText()).isEqualTo("registered");
            assertThat(nodeEvent.data().path("node").path("status").asText()).isEqualTo("offline");
            assertThat(audit).as("audit.appended for node.registered").isTrue();

            // a node registered after a subscriber loaded its node list but before the tail anchored was in neither
            // (the tray's node table never showed it: a CI failure). Registered before this subscription, it must
            // still reach the new subscriber, from the snapshot the tail anchors with. First nobody is subscribed,
            // so the tail lets go of its position (it looks once a second) and anchors afresh for the next one.
            client.close();
            Thread.sleep(2500);
            try (Connection c = pg.connect(config.postgresql().database()); Statement s = c.createStatement()) {
                s.execute("INSERT INTO steep_repl.nodes (node_id, node_name, host, port, status) VALUES ('early', 'Early', 'h', 5434, 'offline')");
            }
            BlockingQueue<IpcEvent> later = new LinkedBlockingQueue<>();
            try (IpcClient second = ipc(config)) {
                second.subscribe(List.of(IpcEvent.NODE_CHANGED), later::add, T);
                IpcEvent early = firstNodeChange(later, "early");
                assertThat(early).as("node.changed for a node registered before the subscription").isNotNull();
                assertThat(early.data().path("change").asText()).isEqualTo("updated");
                assertThat(early.data().path("node").path("port").asInt()).isEqualTo(5434);
            }
        } finally {
            daemon.stop();
        }
        assertThat(Files.exists(Path.of(config.ipc().path()))).as("socket removed on stop").isFalse();
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateStopsStartUpNamingTheFiles(PgServer pg) throws Exception {
        DaemonConfig config = config(pg, 365);
        // the TLS files are loaded ahead, on their own thread, while PostgreSQL and audit start: the refusal must
        // still stop start-up with the message that names the file, and leave nothing listening
        Path key = Path.of(config.grpc().tls().keyFile().orElseThrow().toString());
        io.steep.repl.daemon.certs.PemFiles.writePrivateKey(key, io.steep.repl.daemon.certs.EcKeys.generateP256().getPrivate());
        Daemon daemon = new Daemon(config, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), List.of(), List.of());
        assertThatThrownBy(daemon::start).isInstanceOf(StartupException.class)
                .hasMessageContaining(key + ": does not match the certificate")
                .hasMessageContaining("(grpc.tls in " + config.source() + ")");
        assertThat(Files.exists(Path.of(config.ipc().path()))).as("no IPC socket after a refused start").isFalse();
    }

    @Test
    void httpHealthAndTheStatusCommandShowGrpcTlsAndTheCertificate(PgServer pg) throws Exception {
        DaemonConfig config = config(pg, 365);
        Daemon daemon = start(config);
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.http().port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode h = json.readTree(r.body());
            assertThat(h.path("components").path("grpc").path("status").asText()).isEqualTo("listening");
            assertThat(h.path("components").path("certificate").path("status").asText()).isEqualTo("expiring_soon");
            assertThat(h.path("components").path("ipc").path("status").asText()).isEqualTo("listening");

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.http().port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("steep_repl_certificate_expiry_seconds", "steep_repl_grpc_handshake_failures",
                    "steep_repl_ipc_connections", "steep_repl_cluster_size");

            StringWriter out = new StringWriter();
            CommandLine cl = SteepReplCommand.commandLine();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(out));
            int code = cl.execute("--config", config.source().toString(), "status");
            assertThat(code).as(out.toString()).isZero();
            assertThat(out.toString()).contains("is running", "node test-node", "mutual TLS", "certificate expires in",
                    "postgresql", "certificate");

            // gRPC HealthCheck answers from the PostgreSQL monitor's snapshot, like /health
            StringWriter remote = new StringWriter();
            CommandLine health = SteepReplCommand.commandLine("health");
            health.setOut(new PrintWriter(remote));
            health.setErr(new PrintWriter(remote));
            var tls = config.grpc().tls();
            int hc = health.execute("health", "--remote", "127.0.0.1:" + config.grpc().port(), "--json",
                    "--cert", tls.certFile().orElseThrow().toString(), "--key", tls.keyFile().orElseThrow().toString(),
                    "--ca", tls.caFile().orElseThrow().toString());
            assertThat(hc).as(remote.toString()).isZero();
            assertThat(remote.toString()).contains("\"status\" : \"SERVING\"", "PostgreSQL 18.", "\"node_id\" : \"test-node\"");
            // without --cert/--key/--ca: the files the node's own config names for grpc.tls
            StringWriter byConfig = new StringWriter();
            CommandLine root = SteepReplCommand.commandLine();
            root.setOut(new PrintWriter(byConfig));
            root.setErr(new PrintWriter(byConfig));
            int viaConfig = root.execute("--config", config.source().toString(), "health", "--remote",
                    "127.0.0.1:" + config.grpc().port(), "--json");
            assertThat(viaConfig).as(byConfig.toString()).isZero();
            assertThat(byConfig.toString()).contains("\"status\" : \"SERVING\"", "\"tls\" : true");
        } finally {
            daemon.stop();
        }
    }

    /** The first {@code node.changed} for {@code nodeId} within 10 s, or null; other events are dropped. */
    private static IpcEvent firstNodeChange(BlockingQueue<IpcEvent> events, String nodeId) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            IpcEvent e = events.poll(200, TimeUnit.MILLISECONDS);
            if (e != null && e.event().equals(IpcEvent.NODE_CHANGED) && e.data().path("node").path("node_id").asText().equals(nodeId)) {
                return e;
            }
        }
        return null;
    }
}
