package io.steep.repl.daemon.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.daemon.cli.HealthCommand;
import io.steep.repl.daemon.cli.NodeCommand;
import io.steep.repl.daemon.cluster.NodeStatus;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code steep-repl health --remote} and {@code steep-repl node join} against a real daemon. */
@ExtendWith(RealPostgres.class)
class RemoteCommandsTest {

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) { }

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String[] tls(TestPki.Bundle b, String... rest) {
        List<String> all = new java.util.ArrayList<>(List.of("--cert", b.cert().toString(), "--key", b.key().toString(),
                "--ca", b.ca().toString()));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    @Test
    void healthExitCodes(PgServer pg) throws Exception {
        TestPki pki = new TestPki(tmp);
        TestPki.Bundle b = pki.node("node-b");
        try (TestNode a = TestNode.create(pg, pki, "node-a", 50, List.of()).start()) {
            Run ok = run(new HealthCommand(), tls(b, "--remote", a.address().toString(), "--json"));
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out()).contains("\"status\" : \"SERVING\"").contains("\"node_id\" : \"node-a\"");

            Run text = run(new HealthCommand(), tls(b, "--remote", a.address().toString()));
            assertThat(text.exit()).isZero();
            assertThat(text.out()).contains("SERVING").contains("postgresql");

            int closed = TestNode.freePort();
            Run down = run(new HealthCommand(), tls(b, "--remote", "127.0.0.1:" + closed, "--json", "--timeout", "3"));
            assertThat(down.exit()).isEqualTo(HealthCommand.NOT_SERVING);
            assertThat(down.out()).contains("UNREACHABLE");

            Run badCert = run(new HealthCommand(), "--cert", tmp.resolve("missing.pem").toString(), "--key",
                    b.key().toString(), "--ca", b.ca().toString(), "--remote", a.address().toString());
            assertThat(badCert.exit()).isEqualTo(HealthCommand.USAGE);
            assertThat(badCert.err()).contains("missing.pem");

            Run badAddress = run(new HealthCommand(), tls(b, "--remote", "nowhere"));
            assertThat(badAddress.exit()).isEqualTo(HealthCommand.USAGE);
            assertThat(badAddress.err()).contains("--remote").contains("HOST:PORT");
        }
    }

    @Test
    void healthSaysNotServingWhileTheNodesPostgresIsUnreachable(PgServer pg) throws Exception {
        TestPki pki = new TestPki(tmp);
        try (TestNode a = TestNode.create(pg, pki, "node-a", 50, List.of()).start()) {
            a.dataSource.close(); // the node's database connection is gone: PostgreSQL is unreachable for it
            Run r = run(new HealthCommand(), tls(pki.node("node-b"), "--remote", a.address().toString(), "--json"));
            assertThat(r.exit()).isEqualTo(HealthCommand.NOT_SERVING);
            assertThat(r.out()).contains("NOT_SERVING");
            Eventually.await(java.time.Duration.ofSeconds(20), "grpc.health.v1 follows",
                    () -> !a.node().status().serving());
        }
    }

    @Test
    void nodeJoinRegistersWithThePeer(PgServer pg) throws Exception {
        TestPki pki = new TestPki(tmp);
        TestPki.Bundle b = pki.node("node-b");
        try (TestNode a = TestNode.create(pg, pki, "node-a", 50, List.of()).start()) {
            int bPort = TestNode.freePort();
            List<String> args = new java.util.ArrayList<>(List.of("join", a.address().toString(), "--advertise",
                    "127.0.0.1:" + bPort, "--priority", "70"));
            args.addAll(List.of(tls(b)));
            Run r = run(new NodeCommand(), args.toArray(String[]::new));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("registered node-b").contains("node-a");
            assertThat(a.table().get("node-b").priority()).isEqualTo(70);
            assertThat(a.table().get("node-b").port()).isEqualTo(bPort);

            Run bad = run(new NodeCommand(), "join", a.address().toString(), "--advertise", "127.0.0.1:1",
                    "--priority", "0", "--cert", b.cert().toString(), "--key", b.key().toString(), "--ca", b.ca().toString());
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err()).contains("--priority");
            // node-b never answers heartbeats (nothing listens on its port): a marks it unreachable, never offline
            Eventually.await(java.time.Duration.ofSeconds(30), "a gives up on b",
                    () -> a.statusOf("node-b").orElseThrow() == NodeStatus.UNREACHABLE);
        }
    }
}
