package io.steep.repl.daemon.embedded;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.EnabledOnOs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.daemon.Main;
import io.steep.repl.daemon.TestConfigs;
import io.steep.repl.daemon.config.ConfigLoader;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.config.PlatformPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedMainJobTest {

    @TempDir
    Path dir;

    @Test
    void nodeIdFromHostname() {
        assertThat(DevConfig.nodeIdFrom("Alice-Laptop.local")).isEqualTo("alice-laptop");
        assertThat(DevConfig.nodeIdFrom("__weird host__")).isEqualTo("weird-host__");
        assertThat(DevConfig.nodeIdFrom("...")).isEqualTo("dev-node");
        assertThat(DevConfig.nodeIdFrom("x".repeat(100))).hasSize(63);
    }

    @Test
    void devConfigIsValidAndNeverOverwritten() throws Exception {
        Path file = dir.resolve("steep/config.yaml");
        assertThat(DevConfig.writeIfMissing(file, "my-box")).isTrue();
        DaemonConfig c = new ConfigLoader(new PlatformPaths(PlatformPaths.Os.LINUX, Map.of(), dir), Map.of(), false).load(file, false);
        assertThat(c.nodeId()).isEqualTo("my-box");
        // shown as "id (name)" by the tray: no parentheses of its own, or it reads "my-box (my-box (development))"
        assertThat(c.nodeName()).isEqualTo("my-box development node");
        assertThat(c.postgresql().port()).isEqualTo(DevConfig.EMBEDDED_PORT);
        assertThat(c.postgresql().port()).isNotEqualTo(c.grpc().port());
        Files.writeString(file, "edited");
        assertThat(DevConfig.writeIfMissing(file, "other")).isFalse();
        assertThat(Files.readString(file)).isEqualTo("edited");
    }

    /** The main job for real, twice: the second run finds the first run's cluster and audit rows. */
    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "XDG_DATA_HOME/XDG_RUNTIME_DIR keep the cluster and socket in the test dir on Linux only (macOS: ~/Library, Windows: a named pipe); it stops the daemon with SIGTERM")
    void runsAgainstAPersistentEmbeddedPostgres() throws Exception {
        int pgPort = TestConfigs.freePort();
        int httpPort = TestConfigs.freePort();
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, DevConfig.text("emb-node").replace("port: " + DevConfig.EMBEDDED_PORT, "port: " + pgPort)
                .replace("port: 8080", "port: " + httpPort).replace("port: 5433", "port: " + TestConfigs.freePort()));
        for (int run = 1; run <= 2; run++) {
            ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx128m",
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "run", "--embedded-postgres", "--config", config.toString())
                    .redirectOutput(dir.resolve("out" + run).toFile()).redirectError(dir.resolve("err" + run).toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("STEEP_REPL") || k.startsWith("XDG_"));
            pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
            pb.environment().put("XDG_RUNTIME_DIR", dir.resolve("run").toString());
            Process p = pb.start();
            try {
                JsonNode health = awaitHealthy(httpPort, p, run);
                assertThat(health.path("components").path("postgresql").path("version").asText()).startsWith("18.");
                String out = Files.readString(dir.resolve("out" + run));
                assertThat(out).contains("embedded PostgreSQL 18 (data: " + dir.resolve("data/steep-repl/embedded-pg/data") + ")")
                        .contains("health: http://127.0.0.1:" + httpPort + "/health")
                        .contains("IPC:    " + dir.resolve("run/steep-repl/steep-repl.sock"))
                        .contains("psql:   psql \"host=127.0.0.1 port=" + pgPort + " user=postgres dbname=postgres\"");
            } finally {
                p.destroy();
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(dir.resolve("err" + run));
            assertThat(p.exitValue()).as("exit code of run %d; stderr: %s", run, err).isZero();
            // the embedded server stops after the daemon's last event, not beside it
            assertThat(err).as("run %d's stop", run).contains("steep-repl stopped").doesNotContain("stays in the audit spool")
                    .doesNotContain("terminating connection due to administrator command");
        }
        // both runs' events are in the persistent cluster; start it a third time only to count them
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx128m",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--embedded-postgres", "--config", config.toString())
                .redirectOutput(dir.resolve("out3").toFile()).redirectError(dir.resolve("err3").toFile());
        pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
        pb.environment().put("XDG_RUNTIME_DIR", dir.resolve("run").toString());
        Process p = pb.start();
        try {
            awaitHealthy(httpPort, p, 3);
            Properties props = new Properties();
            props.setProperty("user", "postgres");
            // daemon.started is delivered from the audit spool just after /health turns 200: wait for it
            List<Integer> counts = List.of();
            for (int i = 0; i < 100 && !counts.equals(List.of(3, 2)); i++) {
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", props);
                     Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                             "SELECT count(*) FILTER (WHERE action = 'daemon.started'), count(*) FILTER (WHERE action = 'daemon.stopped') "
                                     + "FROM steep_repl.audit_log WHERE actor = 'postgres@emb-node'")) {
                    rs.next();
                    counts = List.of(rs.getInt(1), rs.getInt(2));
                }
                Thread.sleep(100);
            }
            assertThat(counts).containsExactly(3, 2);
        } finally {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static JsonNode awaitHealthy(int port, Process p, int run) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        JsonNode last = null;
        for (int i = 0; i < 1200; i++) {
            if (!p.isAlive()) {
                throw new AssertionError("run " + run + " exited with " + p.exitValue());
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                last = json.readTree(r.body());
                if (r.statusCode() == 200) {
                    return last;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + run + " never became healthy: " + last);
    }
}
