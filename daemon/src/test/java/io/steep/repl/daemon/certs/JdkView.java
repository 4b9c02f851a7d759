package io.steep.repl.daemon.certs;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Reads what the certs package wrote with the JDK alone (no BouncyCastle), so tests prove the files are standard
 * and not merely readable by the code that wrote them.
 */
final class JdkView {

    private JdkView() {
    }

    static X509Certificate certificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** Parses a PKCS#8 {@code PRIVATE KEY} PEM by hand and decodes it with the JDK's KeyFactory. */
    static PrivateKey pkcs8Key(Path file) throws Exception {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        if (!pem.startsWith("-----BEGIN PRIVATE KEY-----\n") || !pem.strip().endsWith("-----END PRIVATE KEY-----")) {
            throw new AssertionError(file + " is not a PKCS#8 PEM key:\n" + pem.lines().findFirst().orElse(""));
        }
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(
                new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
