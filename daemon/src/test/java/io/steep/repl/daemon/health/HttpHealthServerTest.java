package io.steep.repl.daemon.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.steep.repl.daemon.TestConfigs;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.db.Backoff;
import io.steep.repl.daemon.lifecycle.Daemon;
import io.steep.repl.daemon.lifecycle.StartupException;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(RealPostgres.class)
class HttpHealthServerTest {

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> call(String method, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String database(PgServer pg, String prefix, boolean extension) throws Exception {
        String db = pg.createDatabase(prefix);
        if (extension) {
            try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION steep_repl");
            }
        }
        return db;
    }

    /** A daemon on {@code db} with a fast PostgreSQL backoff and no gRPC (no certificates needed), started. */
    private Daemon startWithoutGrpc(PgServer pg, String db) throws Exception {
        DaemonConfig config = TestConfigs.load(TestConfigs.write(dir, pg, db, "grpc:\n  enabled: false\n"), Map.of());
        Daemon daemon = new Daemon(config, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), List.of(), List.of());
        daemon.start();
        return daemon;
    }

    @Test
    void healthReadyLiveAndMetricsFollowTheContract(PgServer pg) throws Exception {
        String db = database(pg, "http_ok", true);
        Daemon daemon = startWithoutGrpc(pg, db);
        try {
            assertThat(daemon.context().database().awaitReady(Duration.ofSeconds(30))).isTrue();
            int port = daemon.http().port();
            HttpResponse<String> r = call("GET", port, "/health");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
            JsonNode h = json.readTree(r.body());
            assertThat(h.path("status").asText()).isEqualTo("healthy");
            JsonNode p = h.path("components").path("postgresql");
            assertThat(p.path("healthy").asBoolean()).isTrue();
            assertThat(p.path("status").asText()).isEqualTo("connected");
            assertThat(p.path("version").asText()).startsWith("18.");
            assertThat(p.has("latency_ms")).isTrue();
            assertThat(p.has("error")).isFalse();
            assertThat(h.path("components").path("grpc").path("status").asText()).isEqualTo("disabled");
            assertThat(h.path("components").path("ipc").path("status").asText()).isEqualTo("listening");
            assertThat(h.path("node").path("node_id").asText()).isEqualTo("test-node");
            assertThat(h.path("node").path("node_name").asText()).isEqualTo("Test Node");
            assertThat(h.path("node").path("is_coordinator").asBoolean()).isFalse();
            assertThat(h.path("uptime_seconds").isIntegralNumber()).isTrue();
            assertThat(h.path("version").asText()).isNotEmpty();

            assertThat(json.readTree(call("GET", port, "/ready").body()).path("ready").asBoolean()).isTrue();
            assertThat(call("GET", port, "/live").body()).isEqualTo("{\"alive\":true}");

            // a registered component's health is part of the answer, and can make the node unhealthy
            daemon.context().health().register(HealthRegistry.IPC, () -> ComponentHealth.down("stopped", "socket gone"));
            HttpResponse<String> down = call("GET", port, "/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(json.readTree(down.body()).path("components").path("ipc").path("error").asText()).isEqualTo("socket gone");
            HttpResponse<String> notReady = call("GET", port, "/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(json.readTree(notReady.body()).path("reason").asText()).isEqualTo("ipc stopped: socket gone");
            daemon.context().health().register(HealthRegistry.IPC, () -> ComponentHealth.up("listening"));

            String metrics = call("GET", port, "/metrics").body();
            assertThat(metrics).contains("steep_repl_audit_spool_depth")
                    .contains("steep_repl_component_healthy{component=\"postgresql\"} 1.0")
                    .contains("hikaricp_connections")
                    .contains("jvm_memory_used_bytes");

            HttpResponse<String> post = call("POST", port, "/health");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
            assertThat(call("DELETE", port, "/metrics").statusCode()).isEqualTo(405);
            assertThat(call("GET", port, "/nope").statusCode()).isEqualTo(404);
        } finally {
            assertThat(daemon.stop()).isTrue();
        }
        try (Connection c = pg.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT action, actor, success FROM steep_repl.audit_log WHERE action LIKE 'daemon.%' ORDER BY id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("daemon.started");
            assertThat(rs.getString(2)).isEqualTo(pg.superuser() + "@test-node");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("daemon.stopped");
            assertThat(rs.next()).isFalse();
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends raw bytes and reads until the server closes, or until {@code marker} has been seen {@code times}. */
    private static String exchange(Socket s, String request, String marker, int times) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((marker == null || count(got.toString(StandardCharsets.ISO_8859_1), marker) < times) && (n = in.read(buf)) >= 0) {
            got.write(buf, 0, n);
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    private static int count(String text, String marker) {
        return text.split(java.util.regex.Pattern.quote(marker), -1).length - 1;
    }

    @Test
    void rawClientsGetClearAnswersAndASilentOneStallsNobody(PgServer pg) throws Exception {
        Daemon daemon = startWithoutGrpc(pg, database(pg, "http_raw", true));
        try {
            int port = daemon.http().port();
            // one client connects and says nothing, another stops in the middle of its headers: others are answered
            try (Socket silent = connect(port); Socket half = connect(port)) {
                half.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                half.getOutputStream().flush();
                assertThat(call("GET", port, "/live").statusCode()).isEqualTo(200);
                silent.setSoTimeout(200);
                assertThatThrownBy(() -> silent.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            }
            // keep-alive: HEAD then GET with a query string on one connection, answered in order; HEAD gets the
            // length a GET would get, and no body
            try (Socket s = connect(port)) {
                String both = exchange(s, "HEAD /live HTTP/1.1\r\nHost: x\r\n\r\nGET /live?verbose=1 HTTP/1.1\r\nHost: x\r\n\r\n",
                        "{\"alive\":true}", 1);
                assertThat(count(both, "HTTP/1.1 200 OK\r\n")).isEqualTo(2);
                assertThat(count(both.toLowerCase(java.util.Locale.ROOT), "content-length: 14\r\n")).isEqualTo(2);
                assertThat(both).endsWith("\r\n\r\n{\"alive\":true}").doesNotContain("connection: close");
                // the connection is still open for a third request
                assertThat(exchange(s, "GET /ready HTTP/1.1\r\nHost: x\r\n\r\n", "}", 1)).startsWith("HTTP/1.1 ");
            }
            // not HTTP at all: 400 saying so, and the connection closed
            try (Socket s = connect(port)) {
                String r = exchange(s, "HELLO\r\n\r\n", null, 0);
                assertThat(r).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("not an HTTP request")
                        .containsIgnoringCase("connection: close");
            }
            // headers over the limit: 431 naming the limits
            try (Socket s = connect(port)) {
                String r = exchange(s, "GET /health HTTP/1.1\r\nX-Big: " + "a".repeat(HttpHealthServer.MAX_HEADERS + 100)
                        + "\r\n\r\n", null, 0);
                assertThat(r).startsWith("HTTP/1.1 431 ").contains("headers " + HttpHealthServer.MAX_HEADERS + " bytes");
            }
            // a request line over the limit: 414
            try (Socket s = connect(port)) {
                String r = exchange(s, "GET /health?" + "q".repeat(HttpHealthServer.MAX_LINE) + " HTTP/1.1\r\n\r\n", null, 0);
                assertThat(r).startsWith("HTTP/1.1 414 ");
            }
            // a body over the limit: 413 before the body is read
            try (Socket s = connect(port)) {
                String r = exchange(s, "POST /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 100000\r\n\r\n", null, 0);
                assertThat(r).startsWith("HTTP/1.1 413 ");
            }
            // and after all that, probes are answered as before
            assertThat(call("GET", port, "/health").statusCode()).isEqualTo(200);
        } finally {
            assertThat(daemon.stop()).isTrue();
        }
    }

    @Test
    void aSlowScrapeHoldsUpNoProbeAndPipelinedAnswersKeepTheirOrder(PgServer pg) throws Exception {
        Daemon daemon = startWithoutGrpc(pg, database(pg, "http_scrape", true));
        CountDownLatch release = new CountDownLatch(1);
        try {
            int port = daemon.http().port();
            // a meter that does not answer until the test says so: the scrape is in progress for as long as needed
            Gauge.builder("test_slow_gauge", () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 42;
            }).register(daemon.context().meters());
            try (Socket scraper = connect(port)) {
                // a scrape, and two requests pipelined behind it on the same connection
                scraper.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /live HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                scraper.getOutputStream().flush();
                // probes on other connections are answered while that scrape cannot finish
                for (String path : List.of("/health", "/live", "/ready")) {
                    HttpResponse<String> probe = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(probe.statusCode()).as(path).isIn(200, 503);
                }
                assertThat(release.getCount()).as("the scrape is still waiting").isOne();
                assertThat(scraper.getInputStream().available()).as("nothing answered on the scraper's connection yet").isZero();
                release.countDown();
                String all = new String(scraper.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int metrics = all.indexOf("test_slow_gauge 42.0");
                int live = all.indexOf("{\"alive\":true}");
                int notFound = all.indexOf("HTTP/1.1 404 Not Found");
                assertThat(metrics).as("the scrape's answer").isPositive();
                assertThat(live).as("the pipelined /live, after the scrape").isGreaterThan(metrics);
                assertThat(notFound).as("the pipelined 404, last").isGreaterThan(live);
            }
            // the next scrape on a new connection is answered as usual
            HttpResponse<String> r = call("GET", port, "/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("test_slow_gauge 42.0");
        } finally {
            release.countDown();
            assertThat(daemon.stop()).isTrue();
        }
    }

    @Test
    void missingExtensionMakesHealth503WithTheReason(PgServer pg) throws Exception {
        String db = database(pg, "http_noext", false);
        Daemon daemon = new Daemon(TestConfigs.config(dir, pg, db), new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), List.of(), List.of());
        daemon.start();
        try {
            int port = daemon.http().port();
            JsonNode p = null;
            for (int i = 0; i < 300; i++) {
                HttpResponse<String> r = call("GET", port, "/health");
                p = json.readTree(r.body()).path("components").path("postgresql");
                if (p.path("status").asText().equals("extension_missing")) {
                    assertThat(r.statusCode()).isEqualTo(503);
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(p.path("status").asText()).isEqualTo("extension_missing");
            assertThat(p.path("healthy").asBoolean()).isFalse();
            assertThat(p.path("error").asText()).contains("CREATE EXTENSION steep_repl");
            assertThat(json.readTree(call("GET", port, "/ready").body()).path("reason").asText()).startsWith("postgresql extension_missing");
        } finally {
            daemon.stop();
        }
    }

    @Test
    void takenPortFailsTheStartNamingPortAndOwnerAndReleasesEverything(PgServer pg) throws Exception {
        String db = database(pg, "http_taken", true);
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            DaemonConfig config = TestConfigs.load(TestConfigs.withHttpPort(TestConfigs.write(dir, pg, db, null), taken.getLocalPort()), Map.of());
            Daemon daemon = new Daemon(config);
            assertThatThrownBy(daemon::start).isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("HTTP port 127.0.0.1:" + taken.getLocalPort() + " is already in use by pid "
                            + ProcessHandle.current().pid() + " (java)")
                    .hasMessageContaining("set repl.http.port");
        }
    }

    @Test
    void bindAddressNotOfThisMachineFailsTheStartNamingTheSetting(PgServer pg) throws Exception {
        String db = database(pg, "http_addr", true);
        Path file = TestConfigs.write(dir, pg, db, null);
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never one of this machine's addresses
        java.nio.file.Files.writeString(file, java.nio.file.Files.readString(file).replaceFirst("(?m)^  http:\n", "  http:\n    bind: 192.0.2.1\n"));
        Daemon daemon = new Daemon(TestConfigs.load(file, Map.of()));
        assertThatThrownBy(daemon::start).isInstanceOf(StartupException.class)
                .hasMessageStartingWith("cannot listen for HTTP on 192.0.2.1:")
                .hasMessageContaining("set repl.http.bind to an address of this machine")
                .hasMessageNotContaining("already in use");
    }

    @Test
    void secondInstanceWithTheSameConfigIsRefused(PgServer pg) throws Exception {
        String db = database(pg, "http_twice", true);
        DaemonConfig config = TestConfigs.config(dir, pg, db);
        Daemon first = new Daemon(config);
        first.start();
        try {
            assertThatThrownBy(() -> new Daemon(config).start()).isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("another steep-repl instance is running with this configuration (pid "
                            + ProcessHandle.current().pid() + ")");
        } finally {
            first.stop();
        }
    }
}
