package io.steep.repl.daemon.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateReportTest {

    @TempDir
    Path tmp;

    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    private Path caDir;
    private Path nodeDir;

    @BeforeEach
    void pki() {
        caDir = tmp.resolve("ca");
        nodeDir = tmp.resolve("node");
        ClusterCa.initialize(caDir, "test CA", 3650, false, clock);
        NodeCertificateIssuer.issue(caDir, "node-a", List.of("db1", "10.1.2.3"), 365, nodeDir, false, clock);
    }

    @Test
    void isWrittenAsJacksonWritesTheRecord() throws Exception {
        var jackson = CertsJson.mapper().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        List<CertificateReport> reports = new java.util.ArrayList<>(CertificateReport.inspect(nodeDir, clock));
        reports.add(new CertificateReport(null, null, null, null, List.of(), null, null, null, -3, null, false, null,
                List.of("EXPIRED on 2025-01-01T00:00:00Z", "ünïcode \"quoted\"")));
        for (CertificateReport r : reports) {
            assertThat(io.steep.repl.ipc.JsonTrees.string(r.toJson())).as("%s", r).isEqualTo(jackson.writeValueAsString(r));
        }
        // toJson() names each component: one added to the record must be added there too
        assertThat(CertificateReport.class.getRecordComponents()).hasSize(13);
    }

    @Test
    void describesADirectoryCaFirst() throws Exception {
        List<CertificateReport> reports = CertificateReport.inspect(nodeDir, clock);
        assertThat(reports).extracting(CertificateReport::file)
                .containsExactly(nodeDir.resolve("ca-cert.pem"), nodeDir.resolve("node-cert.pem"));

        CertificateReport ca = reports.get(0);
        assertThat(ca.certificateAuthority()).isTrue();
        assertThat(ca.chain()).isEqualTo(CertificateReport.Chain.SELF_SIGNED_CA);
        assertThat(ca.nodeId()).isNull();
        assertThat(ca.warnings()).isEmpty();

        CertificateReport node = reports.get(1);
        assertThat(node.subject()).isEqualTo("CN=node-a");
        assertThat(node.issuer()).isEqualTo("CN=test CA");
        assertThat(node.nodeId()).isEqualTo("node-a");
        assertThat(node.subjectAltNames()).containsExactly("URI:spiffe://steep-repl/node/node-a", "DNS:db1", "IP:10.1.2.3");
        assertThat(node.daysLeft()).isEqualTo(365);
        assertThat(node.notAfter()).isEqualTo(clock.instant().plus(Duration.ofDays(365)));
        assertThat(node.chain()).isEqualTo(CertificateReport.Chain.SIGNED_BY_CA);
        assertThat(node.warnings()).isEmpty();
        String expected = HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(JdkView.certificate(nodeDir.resolve("node-cert.pem")).getEncoded()));
        assertThat(node.sha256Fingerprint()).isEqualTo(expected);
    }

    @Test
    void warnsWithin30DaysAndWhenExpired() {
        Path cert = nodeDir.resolve("node-cert.pem");
        CertificateReport soon = CertificateReport.inspect(cert, Clock.offset(clock, Duration.ofDays(340))).getFirst();
        assertThat(soon.daysLeft()).isEqualTo(25);
        assertThat(soon.warnings()).singleElement().asString().startsWith("expires in 25 days");

        CertificateReport day31 = CertificateReport.inspect(cert, Clock.offset(clock, Duration.ofDays(334))).getFirst();
        assertThat(day31.warnings()).isEmpty();

        CertificateReport expired = CertificateReport.inspect(cert, Clock.offset(clock, Duration.ofDays(366))).getFirst();
        assertThat(expired.daysLeft()).isNegative();
        assertThat(expired.warnings()).singleElement().asString().startsWith("EXPIRED on");
    }

    @Test
    void warnsWhenTheCertificateDoesNotChainToTheCaNextToIt() throws Exception {
        Path other = tmp.resolve("other");
        ClusterCa.initialize(other, "other CA", 10, false, clock);
        Files.copy(nodeDir.resolve("node-cert.pem"), other.resolve("node-cert.pem"));
        CertificateReport r = CertificateReport.inspect(other.resolve("node-cert.pem"), clock).getFirst();
        assertThat(r.chain()).isEqualTo(CertificateReport.Chain.NOT_SIGNED_BY_CA);
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("does not chain to the CA next to it"));

        Path alone = Files.createDirectories(tmp.resolve("alone"));
        Files.copy(nodeDir.resolve("node-cert.pem"), alone.resolve("x.pem"));
        assertThat(CertificateReport.inspect(alone.resolve("x.pem"), clock).getFirst().chain())
                .isEqualTo(CertificateReport.Chain.NO_CA);
    }

    @Test
    void explainsWhatIsMissing() throws Exception {
        assertThatThrownBy(() -> CertificateReport.inspect(tmp.resolve("nope"), clock))
                .hasMessageContaining("no such file or directory");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("readme.pem"), "nothing");
        assertThatThrownBy(() -> CertificateReport.inspect(empty, clock)).hasMessageContaining("holds no certificate");
    }

    @Test
    void expiryForStatusHealthAndMetrics() {
        CertificateExpiry e = CertificateExpiry.of(nodeDir.resolve("node-cert.pem"), Clock.offset(clock, Duration.ofDays(360)));
        assertThat(e.nodeId()).isEqualTo("node-a");
        assertThat(e.daysLeft()).isEqualTo(5);
        assertThat(e.secondsLeft()).isEqualTo(Duration.ofDays(5).toSeconds());
        assertThat(e.expiringSoon()).isTrue();
        assertThat(e.expired()).isFalse();
        CertificateExpiry fresh = CertificateExpiry.of(nodeDir.resolve("node-cert.pem"), clock);
        assertThat(fresh.expiringSoon()).isFalse();
        CertificateExpiry gone = CertificateExpiry.of(nodeDir.resolve("node-cert.pem"), Clock.offset(clock, Duration.ofDays(400)));
        assertThat(gone.expired()).isTrue();
        assertThat(gone.daysLeft()).isEqualTo(-35);
        assertThatThrownBy(() -> CertificateExpiry.of(tmp.resolve("missing.pem"), clock)).hasMessageContaining("no such file");
    }

    @Test
    void jsonHoldsPlainPathsAndIsoInstantsAndNoKeys() throws Exception {
        String json = CertsJson.mapper().writeValueAsString(CertificateReport.inspect(nodeDir, clock));
        assertThat(json).contains("\"file\" : \"" + nodeDir.resolve("ca-cert.pem") + "\"")
                .contains("\"notAfter\" : \"2027-03-01T12:00:00Z\"")
                .contains("\"nodeId\" : \"node-a\"")
                .doesNotContain("PRIVATE");
    }
}
