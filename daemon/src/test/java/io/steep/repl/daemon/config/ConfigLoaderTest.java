package io.steep.repl.daemon.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>(Map.of("USER", "alice"));

    private ConfigLoader loader() {
        return new ConfigLoader(new PlatformPaths(PlatformPaths.Os.LINUX, env, dir.resolve("home")), env, false);
    }

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("config.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private ConfigException refused(String yaml) throws Exception {
        Path f = write(yaml);
        return (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> loader().load(f, true));
    }

    @Test
    void minimalFileGetsDocumentedDefaults() throws Exception {
        DaemonConfig c = loader().load(write("repl:\n  node_id: node-a\n"), true);
        assertThat(c.nodeId()).isEqualTo("node-a");
        assertThat(c.nodeName()).isEqualTo("node-a");
        assertThat(c.priority()).isEqualTo(50);
        assertThat(c.http()).isEqualTo(new DaemonConfig.Http(true, "127.0.0.1", 8080));
        assertThat(c.grpc().port()).isEqualTo(5433);
        assertThat(c.audit().retention()).isEqualTo(Duration.ofHours(17520));
        assertThat(c.audit().spoolDir()).isEqualTo(dir.resolve("home/.local/share/steep-repl/spool"));
        assertThat(c.postgresql().user()).isEqualTo("alice");
        assertThat(c.postgresql().host()).isEqualTo("localhost");
        assertThat(c.postgresql().port()).isEqualTo(5432);
        assertThat(c.postgresql().sslmode()).isEqualTo("prefer");
        assertThat(c.ipc().path()).isEqualTo(dir.resolve("home/.config/steep/run/steep-repl.sock").toString());
        assertThat(c.logging().level()).isEqualTo("info");
        assertThat(c.actor()).isEqualTo("alice@node-a");
    }

    @Test
    void fullFileIsReadKeyByKey() throws Exception {
        DaemonConfig c = loader().load(write("""
                other_tool:            # upstream's TUI keeps its own sections in the same file
                  anything: [1, 2]
                repl:
                  enabled: true
                  node_id: node-b
                  node_name: "Node B"
                  priority: 80
                  postgresql:
                    host: db.example
                    port: 6543
                    database: app
                    user: repl
                    password_command: [/usr/bin/vault, read, -field=pw, "secret/pg pw"]
                    sslmode: verify-full
                    pool_size: 8
                  grpc:
                    enabled: false
                    bind: 10.0.0.2
                    port: 15433
                    advertise_host: node-b.example
                    tls: {cert_file: certs/node.crt, key_file: /abs/node.key, ca_file: ~/ca.crt, insecure: false}
                  http: {enabled: true, bind: 0.0.0.0, port: 9090}
                  ipc: {enabled: true, path: /tmp/steep-repl.sock, allowed_group: steep}
                  cluster:
                    peers: ["node-a.example:5433", "[::1]:5433"]
                    heartbeat_interval: 500ms
                    unreachable_after: 5
                    degraded_after: 200ms
                  audit: {retention: 8760h, spool_dir: spool}
                  logging: {level: debug, file: logs/steep-repl.log}
                """), false);
        assertThat(c.nodeName()).isEqualTo("Node B");
        assertThat(c.priority()).isEqualTo(80);
        assertThat(c.postgresql().passwordCommand()).containsExactly("/usr/bin/vault", "read", "-field=pw", "secret/pg pw");
        assertThat(c.postgresql().poolSize()).isEqualTo(8);
        assertThat(c.grpc().tls().certFile()).contains(dir.resolve("certs/node.crt"));
        assertThat(c.grpc().tls().keyFile()).contains(Path.of("/abs/node.key"));
        assertThat(c.grpc().tls().caFile()).contains(dir.resolve("home/ca.crt"));
        assertThat(c.grpc().advertiseHost()).contains("node-b.example");
        assertThat(c.http().port()).isEqualTo(9090);
        assertThat(c.ipc().allowedGroup()).contains("steep");
        assertThat(c.cluster().peers()).containsExactly(new DaemonConfig.HostPort("node-a.example", 5433),
                new DaemonConfig.HostPort("::1", 5433));
        assertThat(c.cluster().heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.cluster().unreachableAfter()).isEqualTo(5);
        assertThat(c.cluster().degradedAfter()).contains(Duration.ofMillis(200));
        assertThat(c.audit().spoolDir()).isEqualTo(dir.resolve("spool"));
        assertThat(c.logging().file()).contains(dir.resolve("logs/steep-repl.log"));
    }

    @Test
    void passwordCommandAsStringIsSplitOnWhitespace() throws Exception {
        DaemonConfig c = loader().load(write("repl:\n  node_id: a\n  postgresql:\n    password_command: pass show  pg/repl\n"), true);
        assertThat(c.postgresql().passwordCommand()).containsExactly("pass", "show", "pg/repl");
    }

    @Test
    void unknownKeyNamesFileLineAndKey() throws Exception {
        ConfigException e = refused("repl:\n  node_id: a\n  http:\n    port: 8080\n    prot: 1\n");
        assertThat(e.problems()).containsExactly(dir.resolve("config.yaml") + ":5: repl.http.prot: unknown key (known: enabled, bind, port)");
    }

    @Test
    void wrongTypeNamesWhatIsExpected() throws Exception {
        ConfigException e = refused("repl:\n  node_id: a\n  http:\n    port: abc\n  grpc:\n    enabled: maybe\n  cluster:\n    peers: node-a:5433\n");
        assertThat(e.problems()).containsExactly(
                dir.resolve("config.yaml") + ":4: repl.http.port: expected an integer 1..65535, got \"abc\"",
                dir.resolve("config.yaml") + ":6: repl.grpc.enabled: expected true or false, got \"maybe\"",
                dir.resolve("config.yaml") + ":8: repl.cluster.peers: expected a list of host:port, got a value");
    }

    @Test
    void sectionWhereValueExpectedAndViceVersa() throws Exception {
        ConfigException e = refused("repl:\n  node_id: a\n  http: 8080\n  priority:\n    x: 1\n");
        assertThat(e.problems()).containsExactly(
                dir.resolve("config.yaml") + ":3: repl.http: expected a section (key: value lines), got a value",
                dir.resolve("config.yaml") + ":5: repl.priority: expected an integer 1..100, got a section");
    }

    @Test
    void outOfRangeValues() throws Exception {
        ConfigException e = refused("""
                repl:
                  node_id: a
                  priority: 101
                  postgresql: {port: 0, sslmode: sometimes, pool_size: 1000}
                  cluster: {peers: ["host-without-port", "h:70000"], heartbeat_interval: 5s, unreachable_after: 1s, degraded_after: 6s}
                  audit: {retention: 10m}
                  logging: {level: chatty}
                """);
        assertThat(e.problems()).hasSize(10).allSatisfy(p -> assertThat(p).startsWith(dir.resolve("config.yaml") + ":"));
        assertThat(e.getMessage())
                .contains(":3: repl.priority: expected an integer 1..100, got \"101\"")
                .contains(":4: repl.postgresql.port: expected an integer 1..65535, got \"0\"")
                .contains(":4: repl.postgresql.sslmode: expected one of disable, allow, prefer, require, verify-ca, verify-full, got \"sometimes\"")
                .contains(":4: repl.postgresql.pool_size: expected an integer 1..100, got \"1000\"")
                .contains(":5: repl.cluster.peers: expected a list of host:port, got \"host-without-port\"")
                .contains(":5: repl.cluster.peers: expected a list of host:port, got \"h:70000\"")
                .contains(":5: repl.cluster.unreachable_after: expected an integer 1..1000, got \"1s\"")
                .contains(":5: repl.cluster.degraded_after: expected at most heartbeat_interval (5s), got 6s")
                .contains(":6: repl.audit.retention: expected a duration of at least 1h like 1s, 500ms, 1h30m or 17520h, got \"10m\"")
                .contains(":7: repl.logging.level: expected one of trace, debug, info, warn, error, got \"chatty\"");
    }

    @Test
    void badDuration() throws Exception {
        ConfigException e = refused("repl:\n  node_id: a\n  cluster:\n    heartbeat_interval: 2 seconds\n");
        assertThat(e.problems()).containsExactly(dir.resolve("config.yaml")
                + ":4: repl.cluster.heartbeat_interval: expected a duration of at least 50ms like 1s, 500ms, 1h30m or 17520h, got \"2 seconds\"");
    }

    @Test
    void missingNodeId() throws Exception {
        ConfigException e = refused("# comment\nrepl:\n  node_name: x\n");
        assertThat(e.problems()).containsExactly(dir.resolve("config.yaml") + ":2: repl.node_id: required: this node's unique id, e.g. node_id: node-a");
    }

    @Test
    void invalidNodeId() throws Exception {
        ConfigException e = refused("repl:\n  node_id: \"node a/1\"\n");
        assertThat(e.getMessage()).contains(":2: repl.node_id: expected 1-63 letters");
    }

    @Test
    void missingReplSectionAndEmptyFile() throws Exception {
        assertThat(refused("").getMessage()).endsWith(":1: repl: required section missing (the daemon's settings live under 'repl:', see docs/config.md)");
        assertThat(refused("http:\n  port: 1\n").getMessage()).contains("repl: required section missing");
    }

    @Test
    void duplicateKeyAndBrokenYaml() throws Exception {
        assertThat(refused("repl:\n  node_id: a\n  node_id: b\n").getMessage())
                .contains(":3: repl.node_id: duplicate key (first set on line 2)");
        assertThat(refused("repl:\n  node_id: [a\n").getMessage()).contains("config.yaml:").contains("not valid YAML");
    }

    @Test
    void passwordInFileIsRefusedWithAdvice() throws Exception {
        assertThat(refused("repl:\n  node_id: a\n  postgresql:\n    password: hunter2\n").problems())
                .containsExactly(dir.resolve("config.yaml") + ":4: repl.postgresql.password: not supported: keep secrets out of the file; use password_command, PGPASSWORD or ~/.pgpass");
    }

    @Test
    void missingFileSaysWhatToDo() {
        assertThatThrownBy(() -> loader().load(dir.resolve("nope.yaml"), true))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.yaml: no such file").hasMessageContaining("--embedded-postgres");
    }

    @Test
    void environmentOverridesTheFile() throws Exception {
        env.putAll(Map.of("PGHOST", "env-host", "PGPORT", "6000", "PGDATABASE", "envdb", "PGUSER", "envuser",
                "PGPASSWORD", "p@ss:w/rd' \"x", "PGSSLMODE", "require"));
        DaemonConfig c = loader().load(write("repl:\n  node_id: a\n  postgresql: {host: h, port: 1, database: d, user: u, sslmode: disable}\n"), true);
        assertThat(c.postgresql().host()).isEqualTo("env-host");
        assertThat(c.postgresql().port()).isEqualTo(6000);
        assertThat(c.postgresql().database()).isEqualTo("envdb");
        assertThat(c.postgresql().user()).isEqualTo("envuser");
        assertThat(c.postgresql().password()).isEqualTo("p@ss:w/rd' \"x");
        assertThat(c.postgresql().sslmode()).isEqualTo("require");
        assertThat(c.postgresql().toString()).doesNotContain("p@ss");
        DaemonConfig fileOnly = loader().load(dir.resolve("config.yaml"), false);
        assertThat(fileOnly.postgresql().host()).isEqualTo("h");
    }

    @Test
    void badEnvironmentValuesAreRefused() throws Exception {
        env.put("PGPORT", "fivefourthreetwo");
        env.put("PGSSLMODE", "maybe");
        Path f = write("repl:\n  node_id: a\n");
        assertThatThrownBy(() -> loader().load(f, true)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("environment PGPORT: expected an integer 1..65535, got \"fivefourthreetwo\"")
                .hasMessageContaining("environment PGSSLMODE: expected one of");
    }

    @Test
    void locationPrecedence() {
        Path cli = dir.resolve("cli.yaml");
        assertThat(loader().locate(cli)).isEqualTo(cli);
        assertThat(loader().locate(null)).isEqualTo(dir.resolve("home/.config/steep/config.yaml"));
        env.put(ConfigLoader.CONFIG_ENV, dir.resolve("env.yaml").toString());
        assertThat(loader().locate(null)).isEqualTo(dir.resolve("env.yaml"));
        assertThat(loader().locate(cli)).isEqualTo(cli);
        ConfigLoader serviceLoader = new ConfigLoader(new PlatformPaths(PlatformPaths.Os.LINUX, Map.of(), dir), Map.of(), true);
        assertThat(serviceLoader.locate(null)).isEqualTo(Path.of("/etc/steep/config.yaml"));
    }

    @Test
    void defaultsFromANodesConfigOnlyWhenThereIsOneAndANamedFileMustExist() throws Exception {
        assertThat(loader().loadIfPresent(null)).as("no config anywhere: a CA host, a new node").isEmpty();
        Path platform = Files.createDirectories(dir.resolve("home/.config/steep")).resolve("config.yaml");
        Files.writeString(platform, "repl:\n  node_id: node-p\n");
        assertThat(loader().loadIfPresent(null)).hasValueSatisfying(c -> assertThat(c.nodeId()).isEqualTo("node-p"));

        Path missing = dir.resolve("typo.yaml");
        env.put(ConfigLoader.CONFIG_ENV, missing.toString());
        assertThatThrownBy(() -> loader().loadIfPresent(null)).as("$STEEP_REPL_CONFIG names a missing file")
                .isInstanceOf(ConfigException.class).hasMessageContaining(missing.toString());
        env.remove(ConfigLoader.CONFIG_ENV);
        assertThatThrownBy(() -> loader().loadIfPresent(missing)).as("--config names a missing file")
                .isInstanceOf(ConfigException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void durations() {
        assertThat(Durations.parse("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(Durations.parse("17520h")).isEqualTo(Duration.ofHours(17520));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        for (String bad : List.of("", "1", "s", "1d", "-1s", "1s x")) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
