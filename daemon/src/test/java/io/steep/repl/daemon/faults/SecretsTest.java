package io.steep.repl.daemon.faults;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import io.steep.repl.daemon.TestConfigs;
import io.steep.repl.daemon.certs.ClusterCa;
import io.steep.repl.daemon.certs.NodeCertificateIssuer;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.lifecycle.Daemon;
import io.steep.repl.daemon.lifecycle.DaemonContext;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.client.IpcClient;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, local security: private keys are 0600, and no secret — the PostgreSQL password handed out by
 * {@code password_command}, a wrong one tried before it, or private key material — appears in any log line, IPC
 * answer, HTTP response or audit row, even while authentication fails and recovers. The IPC endpoint refusing other
 * users is shown by {@code ipc.IpcPeerCredentialsTest} (a client of another uid via setpriv).
 */
@ExtendWith(RealPostgres.class)
@Timeout(120)
class SecretsTest {

    @TempDir
    Path dir;

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "its password_command helper is a /bin/sh script and it checks POSIX key modes")
    void noSecretInLogsAnswersOrAuditRowsAndKeysAre0600(PgServer pg) throws Exception {
        String role = "secret_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String password = "Pw-" + UUID.randomUUID() + "-never-print-me";
        String wrong = "Wrong-" + UUID.randomUUID() + "-never-print-me-either";
        String db = FaultDaemons.database(pg, "secrets");
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD '" + password + "'");
            Path hba;
            try (ResultSet rs = s.executeQuery("SELECT current_setting('hba_file')")) {
                rs.next();
                hba = Path.of(rs.getString(1));
            }
            Files.writeString(hba, "host all " + role + " 127.0.0.1/32 scram-sha-256\nhost all " + role + " ::1/128 scram-sha-256\n"
                    + Files.readString(hba));
            s.execute("SELECT pg_reload_conf()");
        }
        // password_command prints whatever pw.txt holds: first a wrong password, then the right one
        Path pwFile = Files.writeString(dir.resolve("pw.txt"), wrong);
        Path helper = Files.writeString(dir.resolve("pw.sh"), "#!/bin/sh\nexec cat " + pwFile + "\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));

        Path file = TestConfigs.write(dir, pg, db, FaultDaemons.grpcSection(dir, "test-node"));
        String yaml = Files.readString(file).replace("    user: " + pg.superuser() + "\n",
                "    user: " + role + "\n    password_command: [" + helper + "]\n");
        Files.writeString(file, yaml);

        Path certs = dir.resolve("certs");
        for (Path key : List.of(certs.resolve("ca").resolve(ClusterCa.KEY_FILE), certs.resolve(NodeCertificateIssuer.KEY_FILE))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).as(key.toString()).isEqualTo("rw-------");
        }
        String keyBody = Files.readString(certs.resolve(NodeCertificateIssuer.KEY_FILE)).lines()
                .filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();

        List<String> said = new ArrayList<>(); // every answer the daemon gave
        try (LogCapture logs = LogCapture.open()) {
            DaemonConfig config = TestConfigs.load(file, Map.of());
            Daemon daemon = new Daemon(config, FaultDaemons.FAST, List.of(), List.of());
            DaemonContext ctx = daemon.start();
            try {
                FaultDaemons.await(Duration.ofSeconds(20), "authentication refused with the wrong password",
                        () -> ctx.database().status().error().orElse("").contains("refused the credentials"));
                collect(config, daemon, said);
                Files.writeString(pwFile, password);
                assertThat(ctx.database().awaitReady(Duration.ofSeconds(30))).as("ready with the right password").isTrue();
                ctx.audit("test.secret_probe", "test", "secrets", Map.of("note", "nothing secret here"));
                assertThat(ctx.audit().flush(Duration.ofSeconds(10))).isTrue();
                collect(config, daemon, said);
                try (IpcClient c = FaultDaemons.ipc(config)) {
                    said.add(c.call(IpcMethods.AUDIT_QUERY, Map.of("limit", 100), FaultDaemons.T).toString());
                    said.add(c.call(IpcMethods.NODES_LIST, null, FaultDaemons.T).toString());
                }
            } finally {
                daemon.stop();
            }
            try (Connection c = pg.connect(db); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT concat_ws(' ', action, actor, old_value, new_value, error_message) FROM steep_repl.audit_log")) {
                while (rs.next()) {
                    said.add(rs.getString(1));
                }
            }
            List<String> lines = logs.lines();
            assertThat(lines).as("the scan saw the daemon's log").anyMatch(l -> l.contains("refused the credentials"));
            assertThat(said).as("the scan saw answers").hasSizeGreaterThan(10);
            for (String secret : List.of(password, wrong, "PRIVATE KEY", keyBody)) {
                assertThat(lines).as("log lines containing a secret").noneMatch(l -> l.contains(secret));
                assertThat(said).as("answers containing a secret").noneMatch(l -> l.contains(secret));
            }
        }
    }

    private static void collect(DaemonConfig config, Daemon daemon, List<String> said) throws Exception {
        try (IpcClient c = FaultDaemons.ipc(config)) {
            for (String m : List.of(IpcMethods.STATUS_GET, IpcMethods.HEALTH_CHECK, IpcMethods.CONFIG_GET)) {
                said.add(c.call(m, null, FaultDaemons.T).toString());
            }
        }
        for (String path : List.of("/health", "/ready", "/live", "/metrics", "/nope")) {
            said.add(FaultDaemons.http(daemon, path).body());
        }
    }
}
