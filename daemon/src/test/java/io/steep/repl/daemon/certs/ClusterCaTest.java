package io.steep.repl.daemon.certs;

import io.steep.repl.daemon.PosixModes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCaTest {

    @TempDir
    Path tmp;

    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void initializeWritesAStandardP256CaThatTheJdkReads() throws Exception {
        Path dir = tmp.resolve("ca");
        ClusterCa.CaFiles files = ClusterCa.initialize(dir, ClusterCa.DEFAULT_NAME, ClusterCa.DEFAULT_DAYS, false, clock);

        X509Certificate cert = JdkView.certificate(files.certificate());
        PrivateKey key = JdkView.pkcs8Key(files.key());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=steep-repl cluster CA");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        cert.verify(cert.getPublicKey()); // self-signed
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(((ECPrivateKey) key).getParams().getOrder()).isEqualTo(((ECPublicKey) cert.getPublicKey()).getParams().getOrder());
        assertThat(cert.getBasicConstraints()).isZero(); // CA, pathLen 0
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        boolean[] usage = cert.getKeyUsage();
        assertThat(usage[5]).as("keyCertSign").isTrue();
        assertThat(usage[6]).as("cRLSign").isTrue();
        assertThat(usage[0]).as("digitalSignature").isFalse();
        assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(3650).plus(ClusterCa.BACKDATE));
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(clock.instant().plus(Duration.ofDays(3650)));
        assertThat(cert.getSerialNumber().signum()).isPositive();
        assertThat(cert.getSerialNumber().bitLength()).isBetween(64, 128);

        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(new byte[] {1, 2, 3});
        assertThat(s.verify(sig)).as("key belongs to cert").isTrue();

        PosixModes.assertMode(dir, "rwx------");
        PosixModes.assertMode(files.key(), "rw-------");
        PosixModes.assertMode(files.certificate(), "rw-r--r--");
        assertThat(files.report().chain()).isEqualTo(CertificateReport.Chain.SELF_SIGNED_CA);
    }

    @Test
    void serialsAreRandom() {
        assertThat(ClusterCa.randomSerial()).isNotEqualTo(ClusterCa.randomSerial());
    }

    @Test
    void refusesToOverwriteAnExistingCaUnlessForced() throws Exception {
        Path dir = tmp.resolve("ca");
        ClusterCa.initialize(dir, "first", 10, false, clock);
        byte[] certBefore = Files.readAllBytes(dir.resolve(ClusterCa.CERT_FILE));
        byte[] keyBefore = Files.readAllBytes(dir.resolve(ClusterCa.KEY_FILE));

        assertThatThrownBy(() -> ClusterCa.initialize(dir, "second", 10, false, clock))
                .isInstanceOf(CertsException.class)
                .hasMessageContaining("a CA already exists").hasMessageContaining("--force")
                .extracting(e -> ((CertsException) e).reason()).isEqualTo(CertsException.Reason.ALREADY_EXISTS);
        assertThat(Files.readAllBytes(dir.resolve(ClusterCa.CERT_FILE))).isEqualTo(certBefore);
        assertThat(Files.readAllBytes(dir.resolve(ClusterCa.KEY_FILE))).isEqualTo(keyBefore);

        ClusterCa.initialize(dir, "second", 10, true, clock);
        assertThat(JdkView.certificate(dir.resolve(ClusterCa.CERT_FILE)).getSubjectX500Principal().getName())
                .isEqualTo("CN=second");
        assertThat(Files.readAllBytes(dir.resolve(ClusterCa.KEY_FILE))).isNotEqualTo(keyBefore);
        PosixModes.assertMode(dir.resolve(ClusterCa.KEY_FILE), "rw-------");
    }

    @Test
    void aLoneKeyAlsoCountsAsAnExistingCa() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ca"));
        Files.writeString(dir.resolve(ClusterCa.KEY_FILE), "precious");
        assertThatThrownBy(() -> ClusterCa.initialize(dir, "x", 10, false, clock)).hasMessageContaining("already exists");
        assertThat(Files.readString(dir.resolve(ClusterCa.KEY_FILE))).isEqualTo("precious");
    }

    @Test
    void loadChecksThatTheKeyBelongsToTheCertificate() {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        ClusterCa.initialize(a, "a", 10, false, clock);
        ClusterCa.initialize(b, "b", 10, false, clock);
        assertThat(ClusterCa.load(a).certificate().getSubjectX500Principal().getName()).isEqualTo("CN=a");
        PemFiles.writePrivateKey(a.resolve(ClusterCa.KEY_FILE), ClusterCa.load(b).privateKey());
        assertThatThrownBy(() -> ClusterCa.load(a))
                .hasMessageContaining(a.resolve(ClusterCa.KEY_FILE) + " does not belong to the certificate");
    }

    @Test
    void loadExplainsAMissingCaAndANonCaCertificate() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> ClusterCa.load(empty))
                .hasMessageContaining("no CA in " + empty).hasMessageContaining("steep-repl tls init-ca");

        Path dir = tmp.resolve("ca");
        ClusterCa ca = ClusterCa.generate("ca", 10, clock);
        ClusterCa.initialize(dir, "ca", 10, false, clock);
        X509Certificate node = ClusterCa.load(dir).signNode(EcKeys.generateP256().getPublic(), "n1", java.util.List.of(), 1, clock);
        PemFiles.writeCertificate(dir.resolve(ClusterCa.CERT_FILE), node);
        assertThatThrownBy(() -> ClusterCa.load(dir)).hasMessageContaining("is not a CA certificate");
        assertThat(ca.toString()).doesNotContain("PRIVATE").contains("CN=ca");
    }

    @Test
    void refusesBadNamesAndDays() {
        assertThatThrownBy(() -> ClusterCa.generate(" ", 10, clock)).hasMessageContaining("CA name must be");
        assertThatThrownBy(() -> ClusterCa.generate("x", 0, clock)).hasMessageContaining("--days must be between 1 and");
        assertThatThrownBy(() -> ClusterCa.generate("x", 36501, clock)).hasMessageContaining("--days");
    }
}
