package io.steep.repl.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where {@code health --remote} and {@code node join} take this node's TLS files from when none is named. */
class RemoteTlsOptionsTest {

    @TempDir
    Path tmp;

    private record Run(int exit, String err) { }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = SteepReplCommand.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), err.toString());
    }

    /** A valid config whose grpc.tls names files under mine/ (relative: to the config's directory). */
    private Path configNamingMine() throws java.io.IOException {
        return Files.writeString(tmp.resolve("config.yaml"), """
                repl:
                  node_id: node-b
                  postgresql: {host: 127.0.0.1, port: 5432, database: postgres, user: postgres}
                  grpc:
                    tls: {cert_file: mine/cert.pem, key_file: mine/key.pem, ca_file: mine/ca.pem}
                """);
    }

    @Test
    void theConfigsGrpcTlsFilesAreTheDefaultsRelativeToTheConfig() throws Exception {
        Path config = configNamingMine();

        Run r = run("--config", config.toString(), "health", "--remote", "127.0.0.1:1");

        assertThat(r.exit()).isEqualTo(HealthCommand.USAGE);
        assertThat(r.err()).contains(tmp.resolve("mine/cert.pem").toString());
    }

    @Test
    void aNamedFileWinsOverTheConfig() throws Exception {
        Path config = configNamingMine();

        Run r = run("--config", config.toString(), "health", "--remote", "127.0.0.1:1", "--cert", tmp.resolve("other.pem").toString());

        assertThat(r.err()).contains(tmp.resolve("other.pem").toString()).doesNotContain("mine/cert.pem");
    }

    @Test
    void aConfigThatCannotBeReadIsReportedNotReplacedByOtherFiles() throws Exception {
        Path config = Files.writeString(tmp.resolve("config.yaml"), "repl:\n  node_id: \"bad id!\"\n");

        Run health = run("--config", config.toString(), "health", "--remote", "127.0.0.1:1");
        Run join = run("--config", config.toString(), "node", "join", "127.0.0.1:1", "--advertise", "127.0.0.1:2");

        assertThat(health.exit()).isEqualTo(HealthCommand.USAGE);
        assertThat(health.err()).contains("steep-repl health: " + config + ":2: repl.node_id");
        assertThat(join.exit()).isEqualTo(2);
        assertThat(join.err()).contains("steep-repl node join: " + config + ":2: repl.node_id");
    }
}
