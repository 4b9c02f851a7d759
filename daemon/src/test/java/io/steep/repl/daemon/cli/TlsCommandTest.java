package io.steep.repl.daemon.cli;

import io.steep.repl.daemon.PosixModes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class TlsCommandTest {

    @TempDir
    Path tmp;

    private Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TlsCommand(tmp.resolve("default-certs"), clock));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }


    private static X509Certificate jdk(Path p) throws Exception {
        try (InputStream in = Files.newInputStream(p)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void initCaWritesTheCaAndRefusesToOverwriteItWithoutForce() throws Exception {
        Path ca = tmp.resolve("ca");
        Run first = run("init-ca", "--out", ca.toString(), "--name", "Prod CA", "--days", "100");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("Created CA 'Prod CA' in " + ca).contains("ca-key.pem");
        assertThat(first.err()).isEmpty();
        assertThat(jdk(ca.resolve("ca-cert.pem")).getSubjectX500Principal().getName()).isEqualTo("CN=Prod CA");
        PosixModes.assertMode(ca, "rwx------");
        PosixModes.assertMode(ca.resolve("ca-key.pem"), "rw-------");
        PosixModes.assertMode(ca.resolve("ca-cert.pem"), "rw-r--r--");
        byte[] key = Files.readAllBytes(ca.resolve("ca-key.pem"));

        Run again = run("init-ca", "--out", ca.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err().lines()).singleElement().asString()
                .startsWith("steep-repl tls init-ca: a CA already exists in " + ca).contains("--force");
        assertThat(again.out()).isEmpty();
        assertThat(Files.readAllBytes(ca.resolve("ca-key.pem"))).isEqualTo(key);

        Run forced = run("init-ca", "--out", ca.toString(), "--force");
        assertThat(forced.exit()).isZero();
        assertThat(Files.readAllBytes(ca.resolve("ca-key.pem"))).isNotEqualTo(key);
    }

    /** The real command tree, so the root's --config reaches the tls subcommands. */
    private static Run runRoot(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SteepReplCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void withoutADirectoryTheConfigsCertificatesAreShownAndMadeThere() throws Exception {
        Path config = Files.writeString(Files.createDirectories(tmp.resolve("node")).resolve("config.yaml"), """
                repl:
                  node_id: node-b
                  postgresql: {host: 127.0.0.1, port: 5432, database: postgres, user: postgres}
                  grpc:
                    tls: {cert_file: mine/node-cert.pem, key_file: mine/node-key.pem, ca_file: mine/ca-cert.pem}
                """);
        Path mine = tmp.resolve("node/mine");

        Run init = runRoot("--config", config.toString(), "tls", "init-ca");
        Run issue = runRoot("--config", config.toString(), "tls", "issue-node", "node-b", "--host", "127.0.0.1");
        Run show = runRoot("--config", config.toString(), "tls", "show");

        assertThat(init.exit()).as(init.err()).isZero();
        assertThat(issue.exit()).as(issue.err()).isZero();
        assertThat(mine.resolve("ca-cert.pem")).exists();
        assertThat(mine.resolve("node-cert.pem")).exists();
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains(mine.resolve("node-cert.pem").toString()).contains("Node id     node-b")
                .contains("signed by the ca-cert.pem next to it");
    }

    @Test
    void aConfigThatCannotBeReadIsReportedNotPassedOver() throws Exception {
        Path config = Files.writeString(tmp.resolve("config.yaml"), "repl:\n  node_id: \"bad id!\"\n");

        Run show = runRoot("--config", config.toString(), "tls", "show");

        assertThat(show.exit()).isEqualTo(TlsCommand.USAGE);
        assertThat(show.err()).startsWith("steep-repl tls show: " + config + ":2: repl.node_id").contains("Or name the directory on the command line.");
        assertThat(show.out()).isEmpty();
    }

    @Test
    void initCaDefaultsToTheCertsDirectory() throws Exception {
        assertThat(run("init-ca").exit()).isZero();
        assertThat(tmp.resolve("default-certs/ca-cert.pem")).exists();
        assertThat(run("show").out()).contains("self-signed CA");
    }

    @Test
    void issueNodeWritesTheBundle() throws Exception {
        Path ca = tmp.resolve("ca");
        run("init-ca", "--out", ca.toString());
        Path out = tmp.resolve("bundle/node-a");
        Run r = run("issue-node", "node-a", "--ca", ca.toString(), "--out", out.toString(),
                "--host", "db1.example.com", "--host", "10.0.0.5,localhost", "--days", "90");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Issued certificate for node 'node-a'")
                .contains("URI:spiffe://steep-repl/node/node-a, DNS:db1.example.com, IP:10.0.0.5, DNS:localhost");
        X509Certificate cert = jdk(out.resolve("node-cert.pem"));
        cert.verify(jdk(out.resolve("ca-cert.pem")).getPublicKey());
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(clock.instant().plus(Duration.ofDays(90)));
        PosixModes.assertMode(out.resolve("node-key.pem"), "rw-------");
        PosixModes.assertMode(out.resolve("node-cert.pem"), "rw-r--r--");
        PosixModes.assertMode(out.resolve("ca-cert.pem"), "rw-r--r--");
        PosixModes.assertMode(out, "rwx------");
        PosixModes.assertMode(tmp.resolve("bundle"), "rwx------");

        Run again = run("issue-node", "node-a", "--ca", ca.toString(), "--out", out.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("--force");
    }

    @Test
    void invalidNodeIdAndHostAreOneLineErrors() {
        Path ca = tmp.resolve("ca");
        run("init-ca", "--out", ca.toString());
        Run badId = run("issue-node", "node a", "--ca", ca.toString(), "--out", tmp.resolve("x").toString());
        assertThat(badId.exit()).isEqualTo(1);
        assertThat(badId.err().lines()).singleElement().asString()
                .isEqualTo("steep-repl tls issue-node: node id 'node a' is not a valid identifier: use 1 to 63 letters, "
                        + "digits, '.', '_' or '-', starting with a letter or digit (e.g. node-a)");
        Run badHost = run("create-csr", "n1", "--out", tmp.resolve("y").toString(), "--host", "*.example.com");
        assertThat(badHost.exit()).isEqualTo(1);
        assertThat(badHost.err()).startsWith("steep-repl tls create-csr: host '*.example.com' is neither");
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThat(tmp.resolve("y")).doesNotExist();
    }

    @Test
    void csrFlowEndToEnd() throws Exception {
        Path ca = tmp.resolve("ca-host");
        run("init-ca", "--out", ca.toString());
        Path node = tmp.resolve("node-b");
        Run created = run("create-csr", "node-b", "--out", node.toString(), "--host", "node-b.internal");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("node-csr.pem").contains("stays on this node");
        PosixModes.assertMode(node.resolve("node-key.pem"), "rw-------");

        Path transfer = Files.createDirectories(tmp.resolve("transfer"));
        Files.copy(node.resolve("node-csr.pem"), transfer.resolve("node-b.csr"));
        Path cert = transfer.resolve("node-cert.pem");
        Run signed = run("sign-csr", transfer.resolve("node-b.csr").toString(), "--ca", ca.toString(),
                "--out", cert.toString(), "--days", "30");
        assertThat(signed.exit()).as(signed.err()).isZero();
        assertThat(signed.out()).contains("Signed certificate for node 'node-b'");
        assertThat(transfer.resolve("ca-cert.pem")).exists();
        try (Stream<Path> files = Files.list(transfer)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("node-b.csr", "node-cert.pem", "ca-cert.pem");
        }
        Files.copy(cert, node.resolve("node-cert.pem"));
        Files.copy(transfer.resolve("ca-cert.pem"), node.resolve("ca-cert.pem"));
        Run show = run("show", node.toString());
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("Node id     node-b").contains("signed by the ca-cert.pem next to it")
                .doesNotContain("WARNING");
    }

    @Test
    void signCsrRefusesATamperedRequest() throws Exception {
        Path ca = tmp.resolve("ca");
        run("init-ca", "--out", ca.toString());
        run("create-csr", "node-b", "--out", tmp.resolve("n").toString(), "--host", "node-b.internal");
        String pem = Files.readString(tmp.resolve("n/node-csr.pem"));
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = java.util.Base64.getDecoder().decode(body);
        String asText = new String(der, java.nio.charset.StandardCharsets.ISO_8859_1);
        der[asText.indexOf("node-b.internal")] = 'x';
        Path tampered = Files.write(tmp.resolve("tampered.csr"),
                io.steep.repl.daemon.certs.PemFiles.pem("CERTIFICATE REQUEST", der));
        Run r = run("sign-csr", tampered.toString(), "--ca", ca.toString(), "--out", tmp.resolve("c.pem").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("steep-repl tls sign-csr: " + tampered + ": CSR signature invalid");
        assertThat(tmp.resolve("c.pem")).doesNotExist();
    }

    @Test
    void showPrintsATableWithWarningsAndJson() throws Exception {
        Path ca = tmp.resolve("ca");
        run("init-ca", "--out", ca.toString());
        run("issue-node", "node-a", "--ca", ca.toString(), "--out", tmp.resolve("a").toString(), "--days", "20");
        Run table = run("show", tmp.resolve("a/node-cert.pem").toString());
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("Subject     CN=node-a")
                .contains("SANs        URI:spiffe://steep-repl/node/node-a")
                .contains("Issuer      CN=steep-repl cluster CA")
                .contains("Not before  ").contains("Not after   2026-03-21T12:00:00Z")
                .contains("Days left   20")
                .contains("SHA-256     ")
                .contains("WARNING: expires in 20 days");

        // a certificate next to another cluster's CA
        Path other = tmp.resolve("other");
        run("init-ca", "--out", other.toString());
        Files.copy(tmp.resolve("a/node-cert.pem"), other.resolve("node-cert.pem"));
        assertThat(run("show", other.toString()).out()).contains("WARNING: does not chain to the CA next to it");

        Run json = run("show", "--json", tmp.resolve("a").toString());
        assertThat(json.exit()).isZero();
        JsonNode reports = new ObjectMapper().readTree(json.out());
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0).get("chain").asText()).isEqualTo("SELF_SIGNED_CA");
        assertThat(reports.get(1).get("nodeId").asText()).isEqualTo("node-a");
        assertThat(reports.get(1).get("daysLeft").asLong()).isEqualTo(20);
        assertThat(reports.get(1).get("sha256Fingerprint").asText()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(reports.get(1).get("file").asText()).isEqualTo(tmp.resolve("a/node-cert.pem").toString());
        assertThat(json.out()).doesNotContain("PRIVATE");
    }

    @Test
    void fileErrorsAreOneLineAndExitOne() throws Exception {
        Path notPem = Files.writeString(tmp.resolve("junk.pem"), "junk");
        Run show = run("show", notPem.toString());
        assertThat(show.exit()).isEqualTo(1);
        assertThat(show.err().lines()).singleElement().asString()
                .startsWith("steep-repl tls show: " + notPem + ": not a PEM file");

        Path ca = tmp.resolve("ca");
        run("init-ca", "--out", ca.toString());
        Files.writeString(ca.resolve("ca-key.pem"), "not a key");
        Run issue = run("issue-node", "n", "--ca", ca.toString(), "--out", tmp.resolve("n").toString());
        assertThat(issue.exit()).isEqualTo(1);
        assertThat(issue.err()).contains(ca.resolve("ca-key.pem") + ": not a PEM file");

        Run noCa = run("issue-node", "n", "--ca", tmp.resolve("nothing").toString(), "--out", tmp.resolve("n").toString());
        assertThat(noCa.err()).contains("no CA in").contains("init-ca");
    }

    @ParameterizedTest
    @ValueSource(strings = {"init-ca", "issue-node", "create-csr", "sign-csr", "show"})
    void everySubcommandHasHelp(String sub) {
        Run help = run(sub, "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: tls " + sub);
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run().exit()).isEqualTo(2);
        assertThat(run("init-ca", "--bogus").exit()).isEqualTo(2);
        assertThat(run("init-ca", "--days", "many").exit()).isEqualTo(2);
        assertThat(run("sign-csr", "x.csr").err()).contains("Missing required option: '--out=FILE'");
        assertThat(run("sign-csr", "x.csr").exit()).isEqualTo(2);
        assertThat(run("issue-node").exit()).isEqualTo(2);
        Run help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("init-ca", "issue-node", "create-csr", "sign-csr", "show", "Exit codes");
    }
}
