package io.steep.repl.daemon.cli;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.daemon.Main;
import io.steep.repl.daemon.TestConfigs;
import io.steep.repl.testing.IpcAddress;
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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The real program in a child JVM: single instance, port taken, SIGTERM → exit 0 with daemon.stopped audited; status. */
@ExtendWith(RealPostgres.class)
class DaemonProcessTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    private Process launch(Path config, String name) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-Xlog:class+load=info:file=" + dir.resolve(name + ".classes"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("STEEP_REPL") || k.equals("JOURNAL_STREAM")
                || k.equals("INVOCATION_ID"));
        return pb.start();
    }

    private Result finish(Process p, String name) throws Exception {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(name + " exits").isTrue();
        return new Result(p.exitValue(), Files.readString(dir.resolve(name + ".out")), Files.readString(dir.resolve(name + ".err")));
    }

    private static int httpPort(Path config) throws Exception {
        String yaml = Files.readString(config);
        var m = java.util.regex.Pattern.compile("(?m)^  http:\\n    port: (\\d+)").matcher(yaml);
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static void awaitLive(int port, Process p) throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        for (int i = 0; i < 600; i++) {
            if (!p.isAlive()) {
                throw new AssertionError("daemon exited with " + p.exitValue());
            }
            try {
                if (c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/live")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("daemon did not come up on port " + port);
    }

    private static Result status(Path config, String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = SteepReplCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        List<String> args = new ArrayList<>(List.of("status", "--config", config.toString()));
        args.addAll(List.of(extra));
        int code = cl.execute(args.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "Process.destroy() is TerminateProcess on Windows: no SIGTERM, so no graceful stop to check (the service stops through procrun)")
    void runsIsSingleInstanceReportsStatusAndStopsGracefullyOnSigterm(PgServer pg) throws Exception {
        String db = pg.createDatabase("proc_main");
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION steep_repl");
        }
        Path config = TestConfigs.write(dir, pg, db, null);
        assertThat(status(config).code()).isEqualTo(ExitCodes.NOT_RUNNING);

        Process daemon = launch(config, "first");
        try {
            awaitLive(httpPort(config), daemon);

            Result second = finish(launch(config, "second"), "second");
            assertThat(second.code()).isEqualTo(ExitCodes.ERROR);
            assertThat(second.err()).contains("steep-repl: cannot start: another steep-repl instance is running with this configuration (pid "
                    + daemon.pid() + ")");

            Result human = status(config);
            assertThat(human.code()).isEqualTo(ExitCodes.OK);
            assertThat(human.out()).contains("is running (pid " + daemon.pid() + "): node test-node (Test Node)").contains("postgresql");
            Result json = status(config, "--json");
            assertThat(json.code()).isEqualTo(ExitCodes.OK);
            JsonNode j = new ObjectMapper().readTree(json.out());
            assertThat(j.path("running").asBoolean()).isTrue();
            assertThat(j.path("pid").asLong()).isEqualTo(daemon.pid());
            assertThat(j.path("status").path("node").path("node_id").asText()).as("status.get over IPC").isEqualTo("test-node");
            assertThat(j.path("health").path("components").path("postgresql").path("healthy").asBoolean()).isTrue();

            // a running node's routine work binds no records: start, audit, what the tray asks at every connect
            // (status.get, health.check, nodes.list, certs.status) and /health. Jackson's data binding stays
            // unloaded, and so out of the AOT cache and the node's memory (JsonTrees, docs/benchmarks.md)
            try (IpcClient tray = IpcClient.connect(IpcEndpoint.of(IpcAddress.of(dir.resolve("ipc.sock")),
                    AccessPolicy.OWNER_ONLY), Duration.ofSeconds(5))) {
                assertThat(tray.call("nodes.list", null, Duration.ofSeconds(5)).path("nodes").isArray()).isTrue();
                assertThat(tray.call("certs.status", null, Duration.ofSeconds(5)).has("certificates")).isTrue();
            }
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort(config) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains("\"postgresql\":{\"healthy\":true");
            List<String> classes = Files.readAllLines(dir.resolve("first.classes"));
            assertThat(classes).anyMatch(l -> l.contains(" com.fasterxml.jackson.databind.node.ObjectNode "));
            assertThat(classes.stream().filter(l -> l.contains(" com.fasterxml.jackson.databind.ObjectMapper ")).toList())
                    .as("the node loaded Jackson's ObjectMapper").isEmpty();
        } finally {
            daemon.destroy(); // SIGTERM
        }
        Result stopped = finish(daemon, "first");
        assertThat(stopped.code()).as("exit code after SIGTERM; stderr:\n" + stopped.err()).isZero();
        assertThat(stopped.err()).contains("steep-repl stopped");
        try (Connection c = pg.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT string_agg(action, ',' ORDER BY id) FROM steep_repl.audit_log WHERE action LIKE 'daemon.%'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("daemon.started,daemon.stopped");
        }
        assertThat(status(config).code()).isEqualTo(ExitCodes.NOT_RUNNING);
        assertThat(Files.exists(dir.resolve("spool/steep-repl.lock"))).isTrue(); // the file stays; the lock went with the process
    }

    @Test
    void takenHttpPortEndsTheProcessWithOneClearLine(PgServer pg) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Path config = TestConfigs.withHttpPort(TestConfigs.write(dir, pg, "postgres", null), taken.getLocalPort());
            Result r = finish(launch(config, "taken"), "taken");
            assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
            assertThat(r.err()).contains("steep-repl: cannot start: HTTP port 127.0.0.1:" + taken.getLocalPort()
                    + " is already in use by pid " + ProcessHandle.current().pid() + " (java)");
        }
    }

    @Test
    void badConfigIsRefusedBeforeAnythingStarts() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "repl:\n  node_id: a\n  http:\n    port: abc\n  audit:\n    spool_dir: " + dir.resolve("spool") + "\n");
        StringWriter err = new StringWriter();
        CommandLine cl = SteepReplCommand.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("run", "--config", config.toString())).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("steep-repl: " + config + ":4: repl.http.port: expected an integer 1..65535, got \"abc\"")
                .contains("configuration refused; nothing was started");
        assertThat(dir.resolve("spool")).doesNotExist();
    }

    @Test
    void helpVersionAndUsageErrors() {
        StringWriter out = new StringWriter();
        CommandLine cl = SteepReplCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("--version")).isZero();
        assertThat(out.toString()).startsWith("steep-repl ");
        for (String cmd : List.of("run", "status", "version")) {
            StringWriter help = new StringWriter();
            CommandLine c = SteepReplCommand.commandLine();
            c.setOut(new PrintWriter(help));
            assertThat(c.execute(cmd, "--help")).isZero();
            assertThat(help.toString()).contains("Usage: steep-repl " + cmd).contains("--config");
        }
        StringWriter err = new StringWriter();
        CommandLine bad = SteepReplCommand.commandLine();
        bad.setErr(new PrintWriter(err));
        assertThat(bad.execute("run", "--no-such-option")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
    }
}
