package io.steep.repl.daemon.certs;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon's start-up path for PEM files, with the JDK alone: plain certificates and unencrypted PKCS#8 keys,
 * which is what steep-repl writes and what {@code openssl genpkey} makes. BouncyCastle's jars are signed, so the
 * JDK's AOT cache leaves their classes out, and loading them (verifying the jar signatures on the way) cost a few
 * hundred milliseconds at every start. {@link PemFiles} falls back to BouncyCastle for every other shape (SEC1 and
 * PKCS#1 keys, encrypted keys, headers, mixed blocks) and for the error messages: an empty result here only means
 * "not the plain case", never "invalid".
 */
final class JdkPem {

    /** One PEM block whose body is nothing but base64 and line breaks (no RFC 1421 headers). */
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519");

    private JdkPem() {
    }

    /** Every block of {@code text} is a CERTIFICATE the JDK parses: those certificates, in order. */
    static Optional<List<X509Certificate>> certificates(String text) {
        Matcher m = BLOCK.matcher(text);
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                byte[] der = m.group(1).equals("CERTIFICATE") ? decode(m.group(2)) : null;
                if (der == null) {
                    return Optional.empty();
                }
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(out));
    }

    /** The first block of {@code text} is an unencrypted PKCS#8 {@code PRIVATE KEY} of a known type: that key. */
    static Optional<PrivateKey> pkcs8PrivateKey(String text) {
        Matcher m = BLOCK.matcher(text);
        if (!m.find() || !m.group(1).equals("PRIVATE KEY")) {
            return Optional.empty();
        }
        byte[] der = decode(m.group(2));
        if (der == null) {
            return Optional.empty();
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return Optional.of(KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der)));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next, then let BouncyCastle decide
            }
        }
        return Optional.empty();
    }

    private static byte[] decode(String body) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(body);
            return der.length == 0 ? null : der;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
