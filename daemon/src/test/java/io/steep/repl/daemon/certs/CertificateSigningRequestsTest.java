package io.steep.repl.daemon.certs;

import io.steep.repl.daemon.PosixModes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateSigningRequestsTest {

    @TempDir
    Path tmp;

    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    private Path caDir;

    @BeforeEach
    void ca() {
        caDir = tmp.resolve("ca-host/certs");
        ClusterCa.initialize(caDir, "test CA", ClusterCa.DEFAULT_DAYS, false, clock);
    }

    @Test
    void endToEndTheKeyNeverLeavesTheNode() throws Exception {
        Path nodeDir = tmp.resolve("node-b/certs");
        CertificateSigningRequests.CsrFiles csr = CertificateSigningRequests.create("node-b",
                List.of("node-b.example.com", "10.0.0.6"), nodeDir, false);
        PosixModes.assertMode(csr.key(), "rw-------");
        PosixModes.assertMode(csr.csr(), "rw-r--r--");
        PosixModes.assertMode(nodeDir, "rwx------");
        assertThat(Files.readString(csr.csr())).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        assertThat(Files.readString(csr.csr())).doesNotContain("PRIVATE");

        // only the CSR travels to the CA host
        Path inbox = Files.createDirectories(tmp.resolve("ca-host/inbox"));
        Path travelled = Files.copy(csr.csr(), inbox.resolve("node-b.csr"));
        Path outFile = tmp.resolve("ca-host/outbox/node-cert.pem");
        CertificateSigningRequests.SignedCertificate signed =
                CertificateSigningRequests.sign(travelled, caDir, outFile, 365, false, clock);
        assertThat(signed.caCertificate()).isEqualTo(outFile.getParent().resolve("ca-cert.pem"));
        PosixModes.assertMode(outFile, "rw-r--r--");

        X509Certificate cert = JdkView.certificate(outFile);
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=node-b");
        assertThat(cert.getSubjectAlternativeNames()).containsExactly(
                List.of(6, "spiffe://steep-repl/node/node-b"), List.of(2, "node-b.example.com"), List.of(7, "10.0.0.6"));
        cert.verify(JdkView.certificate(caDir.resolve("ca-cert.pem")).getPublicKey());
        assertThat(signed.report().chain()).isEqualTo(CertificateReport.Chain.SIGNED_BY_CA);

        // the certificate and CA travel back; the node's own key was never copied anywhere
        Files.copy(outFile, nodeDir.resolve("node-cert.pem"));
        Files.copy(signed.caCertificate(), nodeDir.resolve("ca-cert.pem"));
        TlsMaterial material = TlsMaterial.load(nodeDir.resolve("node-cert.pem"), csr.key(), nodeDir.resolve("ca-cert.pem"), clock);
        assertThat(material.nodeId()).isEqualTo("node-b");
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals("node-key.pem")))
                    .containsExactly(nodeDir.resolve("node-key.pem"));
        }
    }

    @Test
    void createRefusesToReplaceAKeyUnlessForced() throws Exception {
        Path dir = tmp.resolve("n");
        CertificateSigningRequests.create("n", List.of(), dir, false);
        byte[] key = Files.readAllBytes(dir.resolve("node-key.pem"));
        assertThatThrownBy(() -> CertificateSigningRequests.create("n", List.of(), dir, false))
                .hasMessageContaining("already holds node-key.pem").hasMessageContaining("--force");
        assertThat(Files.readAllBytes(dir.resolve("node-key.pem"))).isEqualTo(key);
        CertificateSigningRequests.create("n", List.of(), dir, true);
        assertThat(Files.readAllBytes(dir.resolve("node-key.pem"))).isNotEqualTo(key);
    }

    @Test
    void signRefusesToOverwriteItsOutputUnlessForced() throws Exception {
        CertificateSigningRequests.CsrFiles csr = CertificateSigningRequests.create("n", List.of(), tmp.resolve("n"), false);
        Path out = Files.writeString(tmp.resolve("out.pem"), "keep me");
        assertThatThrownBy(() -> CertificateSigningRequests.sign(csr.csr(), caDir, out, 1, false, clock))
                .hasMessageContaining(out + " already exists");
        assertThat(Files.readString(out)).isEqualTo("keep me");
        CertificateSigningRequests.sign(csr.csr(), caDir, out, 1, true, clock);
        assertThat(NodeIdentity.of(JdkView.certificate(out))).contains("n");
    }

    @Test
    void aTamperedCsrIsRefused() throws Exception {
        CertificateSigningRequests.CsrFiles csr = CertificateSigningRequests.create("node-b",
                List.of("node-b.example.com"), tmp.resolve("n"), false);
        byte[] der = der(csr.csr());
        // an attacker on the way swaps the requested host for their own: same length, still valid DER
        int at = indexOf(der, "node-b.example.com".getBytes(StandardCharsets.US_ASCII));
        assertThat(at).isPositive();
        der[at] = 'e';
        Path tampered = writePem(tmp.resolve("tampered.pem"), der);
        Path out = tmp.resolve("out/node-cert.pem");
        assertThatThrownBy(() -> CertificateSigningRequests.sign(tampered, caDir, out, 1, false, clock))
                .isInstanceOf(CertsException.class)
                .hasMessageContaining(tampered + ": CSR signature invalid")
                .extracting(e -> ((CertsException) e).reason()).isEqualTo(CertsException.Reason.VERIFICATION_FAILED);
        assertThat(out).doesNotExist();

        // flipping a bit of the public key is caught too
        byte[] der2 = der(csr.csr());
        der2[der2.length / 3] ^= 0x01;
        Path tampered2 = writePem(tmp.resolve("tampered2.pem"), der2);
        assertThatThrownBy(() -> CertificateSigningRequests.verify(tampered2)).isInstanceOf(CertsException.class)
                .hasMessageContaining(tampered2.toString());
    }

    @Test
    void csrWithAnInvalidNodeIdIsRefused() throws Exception {
        Path file = csr(new X500Name("CN=bad id!"), EcKeys.generateP256(), null);
        assertThatThrownBy(() -> CertificateSigningRequests.verify(file))
                .hasMessageContaining("CN 'bad id!' is not a valid node id");
        Path noCn = csr(new X500Name("O=steep"), EcKeys.generateP256(), null);
        assertThatThrownBy(() -> CertificateSigningRequests.verify(noCn)).hasMessageContaining("exactly one CN");
    }

    @Test
    void csrAskingForForeignSansIsRefused() throws Exception {
        Path email = csr(new X500Name("CN=n"), EcKeys.generateP256(), new GeneralNames(
                new GeneralName(GeneralName.rfc822Name, "a@example.com")));
        assertThatThrownBy(() -> CertificateSigningRequests.verify(email)).hasMessageContaining("SAN of type 1");

        Path otherNode = csr(new X500Name("CN=n"), EcKeys.generateP256(), new GeneralNames(
                new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://steep-repl/node/coordinator")));
        assertThatThrownBy(() -> CertificateSigningRequests.verify(otherNode))
                .hasMessageContaining("does not name node 'n'");

        Path wildcard = csr(new X500Name("CN=n"), EcKeys.generateP256(), new GeneralNames(
                new GeneralName(GeneralName.dNSName, "*.example.com")));
        assertThatThrownBy(() -> CertificateSigningRequests.verify(wildcard)).hasMessageContaining("*.example.com");
    }

    @Test
    void csrWithAnotherKeyTypeIsRefused() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair keys = rsa.generateKeyPair();
        Path file = tmp.resolve("rsa.pem");
        PKCS10CertificationRequest req = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=n"), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
        PemFiles.writeCsr(file, req);
        assertThatThrownBy(() -> CertificateSigningRequests.verify(file)).hasMessageContaining("must be ECDSA P-256");
    }

    @Test
    void requestedExtensionsOtherThanSansAreNotCopied() throws Exception {
        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(true)); // "make me a CA"
        ext.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "n.example.com")));
        KeyPair keys = EcKeys.generateP256();
        PKCS10CertificationRequest req = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=n,O=Evil"), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        Path file = tmp.resolve("greedy.pem");
        PemFiles.writeCsr(file, req);
        Path out = tmp.resolve("out/cert.pem");
        CertificateSigningRequests.sign(file, caDir, out, 1, false, clock);
        X509Certificate cert = JdkView.certificate(out);
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=n");
        assertThat(cert.getSubjectAlternativeNames()).containsExactly(
                List.of(6, "spiffe://steep-repl/node/n"), List.of(2, "n.example.com"));
    }

    @Test
    void notACsr() throws Exception {
        Path text = Files.writeString(tmp.resolve("x.csr"), "nope");
        assertThatThrownBy(() -> CertificateSigningRequests.verify(text)).hasMessageContaining("not a PEM file");
        assertThatThrownBy(() -> CertificateSigningRequests.verify(caDir.resolve("ca-cert.pem")))
                .hasMessageContaining("contains a certificate, not a certificate signing request");
    }

    private Path csr(X500Name subject, KeyPair keys, GeneralNames sans) throws Exception {
        JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
        if (sans != null) {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.subjectAlternativeName, false, sans);
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        }
        Path file = Files.createTempFile(tmp, "csr", ".pem");
        PemFiles.writeCsr(file, b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        return file;
    }

    private static byte[] der(Path pem) throws Exception {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static Path writePem(Path file, byte[] der) throws Exception {
        return Files.write(file, PemFiles.pem("CERTIFICATE REQUEST", der));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
