package io.steep.repl.daemon.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BouncyCastle-free start-up path: it must give exactly what the BouncyCastle path gives for the plain shapes,
 * and step aside (empty) for every other shape, so {@link PemFiles} keeps its behaviour and its error messages.
 */
class JdkPemTest {

    @TempDir
    Path tmp;

    private static String pem(String type, byte[] der) {
        return new String(PemFiles.pem(type, der), StandardCharsets.US_ASCII);
    }

    @Test
    void plainCertificatesAndPkcs8KeysAreReadWithoutBouncyCastle() throws Exception {
        ClusterCa ca = ClusterCa.generate("ca", 1, Clock.systemUTC());
        X509Certificate other = ClusterCa.generate("other", 1, Clock.systemUTC()).certificate();
        String chain = "some text before, as openssl leaves it\n" + pem("CERTIFICATE", ca.certificate().getEncoded())
                + pem("CERTIFICATE", other.getEncoded());
        assertThat(JdkPem.certificates(chain)).hasValueSatisfying(list ->
                assertThat(list).containsExactly(ca.certificate(), other));

        KeyPair ec = EcKeys.generateP256();
        assertThat(JdkPem.pkcs8PrivateKey(pem("PRIVATE KEY", ec.getPrivate().getEncoded())))
                .hasValue(ec.getPrivate());
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair r = rsa.generateKeyPair();
        assertThat(JdkPem.pkcs8PrivateKey(pem("PRIVATE KEY", r.getPrivate().getEncoded()))).hasValue(r.getPrivate());
    }

    @Test
    void sameResultAsTheBouncyCastlePathThroughPemFiles() throws Exception {
        KeyPair keys = EcKeys.generateP256();
        Path keyFile = tmp.resolve("key.pem");
        PemFiles.writePrivateKey(keyFile, keys.getPrivate());
        assertThat(PemFiles.readPrivateKey(keyFile)).isEqualTo(keys.getPrivate());
        assertThat(EcKeys.matches(PemFiles.readPrivateKey(keyFile), keys.getPublic())).isTrue();
    }

    @Test
    void everyOtherShapeIsLeftToBouncyCastle() throws Exception {
        X509Certificate cert = ClusterCa.generate("ca", 1, Clock.systemUTC()).certificate();
        KeyPair keys = EcKeys.generateP256();
        String certPem = pem("CERTIFICATE", cert.getEncoded());
        String keyPem = pem("PRIVATE KEY", keys.getPrivate().getEncoded());

        assertThat(JdkPem.certificates("no pem here")).isEmpty();
        assertThat(JdkPem.certificates(certPem + keyPem)).as("mixed blocks").isEmpty();
        assertThat(JdkPem.certificates(keyPem)).isEmpty();
        assertThat(JdkPem.certificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .as("base64 that is no certificate").isEmpty();
        assertThat(JdkPem.certificates("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n")).isEmpty();

        assertThat(JdkPem.pkcs8PrivateKey(certPem)).isEmpty();
        assertThat(JdkPem.pkcs8PrivateKey(pem("EC PRIVATE KEY", new byte[] {1, 2, 3}))).as("SEC1").isEmpty();
        assertThat(JdkPem.pkcs8PrivateKey(pem("ENCRYPTED PRIVATE KEY", keys.getPrivate().getEncoded()))).isEmpty();
        assertThat(JdkPem.pkcs8PrivateKey("-----BEGIN PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAAA\n"
                + "-----END PRIVATE KEY-----\n")).as("RFC 1421 headers").isEmpty();
        assertThat(JdkPem.pkcs8PrivateKey(pem("PRIVATE KEY", new byte[] {48, 3, 2, 1, 0}))).as("no key inside").isEmpty();
    }
}
