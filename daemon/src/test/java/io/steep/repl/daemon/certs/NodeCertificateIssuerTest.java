package io.steep.repl.daemon.certs;

import io.steep.repl.daemon.PosixModes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCertificateIssuerTest {

    @TempDir
    Path tmp;

    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    private Path caDir;

    @BeforeEach
    void ca() {
        caDir = tmp.resolve("ca");
        ClusterCa.initialize(caDir, "test CA", ClusterCa.DEFAULT_DAYS, false, clock);
    }

    @Test
    void writesTheBundleANodeNeedsAndTheJdkValidatesIt() throws Exception {
        Path out = tmp.resolve("bundles/node-a");
        NodeCertificateIssuer.IssuedBundle bundle = NodeCertificateIssuer.issue(caDir, "node-a",
                List.of("db1.example.com", "10.0.0.5", "::1"), NodeCertificateIssuer.DEFAULT_DAYS, out, false, clock);

        assertThat(bundle.certificate()).isEqualTo(out.resolve("node-cert.pem"));
        assertThat(bundle.key()).isEqualTo(out.resolve("node-key.pem"));
        assertThat(bundle.caCertificate()).isEqualTo(out.resolve("ca-cert.pem"));
        assertThat(Files.readAllBytes(bundle.caCertificate())).isEqualTo(Files.readAllBytes(caDir.resolve("ca-cert.pem")));

        X509Certificate cert = JdkView.certificate(bundle.certificate());
        X509Certificate ca = JdkView.certificate(bundle.caCertificate());
        PrivateKey key = JdkView.pkcs8Key(bundle.key());

        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=node-a");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(cert.getSubjectAlternativeNames()).containsExactly(
                List.of(6, "spiffe://steep-repl/node/node-a"),
                List.of(2, "db1.example.com"),
                List.of(7, "10.0.0.5"),
                List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(clock.instant().plus(Duration.ofDays(365)));
        assertThat(cert.getSerialNumber()).isNotEqualTo(ca.getSerialNumber());

        // the JDK's PKIX validator accepts the chain, at the issuing time
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(clock.instant()));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), params);

        // key and certificate belong together, proven with the JDK alone
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update("hello".getBytes());
        byte[] sig = s.sign();
        s.initVerify(cert);
        s.update("hello".getBytes());
        assertThat(s.verify(sig)).isTrue();

        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("node", key, "x".toCharArray(), new X509Certificate[] {cert, ca});
        assertThat(store.getCertificateChain("node")).hasSize(2);

        PosixModes.assertMode(tmp.resolve("bundles"), "rwx------");
        PosixModes.assertMode(out, "rwx------");
        PosixModes.assertMode(bundle.key(), "rw-------");
        PosixModes.assertMode(bundle.certificate(), "rw-r--r--");
        PosixModes.assertMode(bundle.caCertificate(), "rw-r--r--");

        assertThat(bundle.report().nodeId()).isEqualTo("node-a");
        assertThat(bundle.report().chain()).isEqualTo(CertificateReport.Chain.SIGNED_BY_CA);
        assertThat(bundle.report().toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void manyNodesFromOneCa() throws Exception {
        for (String id : List.of("node-a", "node-b", "node-c")) {
            NodeCertificateIssuer.issue(caDir, id, List.of(), 30, tmp.resolve(id), false, clock);
        }
        X509Certificate ca = JdkView.certificate(caDir.resolve("ca-cert.pem"));
        for (String id : List.of("node-a", "node-b", "node-c")) {
            X509Certificate c = JdkView.certificate(tmp.resolve(id).resolve("node-cert.pem"));
            c.verify(ca.getPublicKey());
            assertThat(NodeIdentity.of(c)).contains(id);
        }
    }

    @Test
    void issuingIntoTheCaDirectoryKeepsTheCaFileAsItIs() throws Exception {
        byte[] before = Files.readAllBytes(caDir.resolve("ca-cert.pem"));
        NodeCertificateIssuer.IssuedBundle b = NodeCertificateIssuer.issue(caDir, "first", List.of(), 1, caDir, false, clock);
        assertThat(b.caCertificate()).isEqualTo(caDir.resolve("ca-cert.pem"));
        assertThat(Files.readAllBytes(caDir.resolve("ca-cert.pem"))).isEqualTo(before);
    }

    @Test
    void nodeCertificateNeverOutlivesItsCa() throws Exception {
        Path shortCa = tmp.resolve("short");
        ClusterCa.initialize(shortCa, "short", 10, false, clock);
        NodeCertificateIssuer.issue(shortCa, "n", List.of(), 365, tmp.resolve("n"), false, clock);
        assertThat(JdkView.certificate(tmp.resolve("n/node-cert.pem")).getNotAfter())
                .isEqualTo(JdkView.certificate(shortCa.resolve("ca-cert.pem")).getNotAfter());
    }

    @Test
    void refusesToReplaceANodeKeyUnlessForced() throws Exception {
        Path out = tmp.resolve("n");
        NodeCertificateIssuer.issue(caDir, "n", List.of(), 1, out, false, clock);
        byte[] key = Files.readAllBytes(out.resolve("node-key.pem"));
        assertThatThrownBy(() -> NodeCertificateIssuer.issue(caDir, "n", List.of(), 1, out, false, clock))
                .hasMessageContaining("already holds a node certificate or key").hasMessageContaining("--force");
        assertThat(Files.readAllBytes(out.resolve("node-key.pem"))).isEqualTo(key);
        NodeCertificateIssuer.issue(caDir, "n", List.of(), 1, out, true, clock);
        assertThat(Files.readAllBytes(out.resolve("node-key.pem"))).isNotEqualTo(key);
    }

    @Test
    void invalidInputIsRefusedBeforeAnythingIsWritten() {
        Path out = tmp.resolve("never");
        assertThatThrownBy(() -> NodeCertificateIssuer.issue(caDir, "bad id!", List.of(), 1, out, false, clock))
                .hasMessageContaining("node id 'bad id!' is not a valid identifier");
        assertThatThrownBy(() -> NodeCertificateIssuer.issue(caDir, "n", List.of("*.example.com"), 1, out, false, clock))
                .hasMessageContaining("'*.example.com' is neither");
        assertThatThrownBy(() -> NodeCertificateIssuer.issue(caDir, "n", List.of(), 0, out, false, clock))
                .hasMessageContaining("--days");
        assertThatThrownBy(() -> NodeCertificateIssuer.issue(tmp.resolve("no-ca"), "n", List.of(), 1, out, false, clock))
                .hasMessageContaining("no CA in");
        assertThat(out).doesNotExist();
    }

    @Test
    void anExpiredCaIssuesNothing() {
        Clock later = Clock.offset(clock, Duration.ofDays(3651));
        assertThatThrownBy(() -> NodeCertificateIssuer.issue(caDir, "n", List.of(), 1, tmp.resolve("n"), false, later))
                .hasMessageContaining("the CA certificate expired");
    }
}
