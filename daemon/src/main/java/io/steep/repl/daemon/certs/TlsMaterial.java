package io.steep.repl.daemon.certs;

import io.steep.repl.daemon.certs.CertsException.Reason;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A node's mutual-TLS material, loaded from its PEM files and checked before the daemon listens or dials: the
 * files exist and parse, the key belongs to the certificate, the certificate is signed by the cluster CA and is
 * valid now. Each failure names the file to fix.
 *
 * <p>Trust is the cluster CA alone (never the JDK's default trust store), and only TLS 1.3 is offered: apply
 * {@link #serverParameters()} / {@link #clientParameters()} (or the {@code configure} helpers) to every socket or
 * engine, or pass {@link #keyManagerFactory()}, {@link #trustManagerFactory()} and {@link #PROTOCOLS} to Netty.
 * Who the peer is comes from {@link NodeIdentity#of} on its verified certificate.
 */
public final class TlsMaterial {

    public static final String TLS_1_3 = "TLSv1.3";
    public static final List<String> PROTOCOLS = List.of(TLS_1_3);

    private final Path certFile;
    private final X509Certificate certificate;
    private final X509Certificate ca;
    private final String nodeId;
    private final KeyManagerFactory keyManagerFactory;
    private final TrustManagerFactory trustManagerFactory;
    private final SSLContext sslContext;

    private TlsMaterial(Path certFile, X509Certificate certificate, X509Certificate ca, String nodeId,
                        KeyManagerFactory kmf, TrustManagerFactory tmf, SSLContext sslContext) {
        this.certFile = certFile;
        this.certificate = certificate;
        this.ca = ca;
        this.nodeId = nodeId;
        this.keyManagerFactory = kmf;
        this.trustManagerFactory = tmf;
        this.sslContext = sslContext;
    }

    public static TlsMaterial load(Path certFile, Path keyFile, Path caFile) {
        return load(certFile, keyFile, caFile, Clock.systemUTC());
    }

    /** As {@link #load(Path, Path, Path)}, judging validity at {@code clock}'s now. */
    public static TlsMaterial load(Path certFile, Path keyFile, Path caFile, Clock clock) {
        List<X509Certificate> chain = PemFiles.readCertificates(certFile);
        X509Certificate certificate = chain.getFirst();
        PrivateKey key = PemFiles.readPrivateKey(keyFile);
        X509Certificate ca = PemFiles.readCertificate(caFile);
        Instant now = clock.instant();

        if (ca.getBasicConstraints() < 0) {
            throw new CertsException(Reason.INVALID_FILE, caFile + ": is not a CA certificate (the cluster CA is "
                    + "the ca-cert.pem written by `steep-repl tls init-ca`)");
        }
        requireValidAt(caFile, "the CA certificate", ca, now);
        if (!EcKeys.matches(key, certificate.getPublicKey())) {
            throw new CertsException(Reason.VERIFICATION_FAILED, keyFile + ": does not match the certificate in "
                    + certFile + " (they were not issued together)");
        }
        if (!CertificateReport.verifies(certificate, ca)) {
            throw new CertsException(Reason.VERIFICATION_FAILED, certFile + ": is not signed by the CA in " + caFile
                    + " (issued by " + certificate.getIssuerX500Principal().getName() + ")");
        }
        requireValidAt(certFile, "the certificate", certificate, now);
        String nodeId = NodeIdentity.of(certificate).orElseThrow(() -> new CertsException(Reason.INVALID_FILE,
                certFile + ": names no node (no " + NodeIdentity.URI_PREFIX + "<id> SAN and no node-id CN)"));

        try {
            char[] password = new char[0]; // the store lives in memory only
            // JKS, not PKCS12: a PKCS#12 store encrypts the key entry with PBKDF2 (10 000 iterations) on
            // setKeyEntry and decrypts it again in kmf.init — ~100-200 ms of cold crypto on every start, to
            // protect a key that never leaves this process (the file on disk is what 0600 protects).
            KeyStore keys = KeyStore.getInstance("JKS");
            keys.load(null, null);
            keys.setKeyEntry("node", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);

            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("cluster-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trusted);

            SSLContext context = SSLContext.getInstance(TLS_1_3);
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return new TlsMaterial(certFile, certificate, ca, nodeId, kmf, tmf, context);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new CertsException(Reason.INVALID_FILE, "cannot build a TLS context from " + certFile + " and "
                    + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static void requireValidAt(Path file, String what, X509Certificate c, Instant now) {
        if (!now.isBefore(c.getNotAfter().toInstant())) {
            throw new CertsException(Reason.VERIFICATION_FAILED, file + ": " + what + " expired on "
                    + c.getNotAfter().toInstant() + "; issue a new one");
        }
        if (now.isBefore(c.getNotBefore().toInstant())) {
            throw new CertsException(Reason.VERIFICATION_FAILED, file + ": " + what + " is not valid before "
                    + c.getNotBefore().toInstant() + " (check this machine's clock)");
        }
    }

    public SSLContext sslContext() {
        return sslContext;
    }

    public KeyManagerFactory keyManagerFactory() {
        return keyManagerFactory;
    }

    public TrustManagerFactory trustManagerFactory() {
        return trustManagerFactory;
    }

    public KeyManager[] keyManagers() {
        return keyManagerFactory.getKeyManagers();
    }

    public TrustManager[] trustManagers() {
        return trustManagerFactory.getTrustManagers();
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public X509Certificate caCertificate() {
        return ca;
    }

    /** This node's identity as peers will see it. */
    public String nodeId() {
        return nodeId;
    }

    public CertificateExpiry expiry(Clock clock) {
        return CertificateExpiry.of(certFile, certificate, clock);
    }

    /** TLS 1.3 only, client certificate required. */
    public SSLParameters serverParameters() {
        SSLParameters p = sslContext.getDefaultSSLParameters();
        p.setProtocols(PROTOCOLS.toArray(String[]::new));
        p.setNeedClientAuth(true);
        return p;
    }

    /** TLS 1.3 only. Peers are identified by {@link NodeIdentity}, not by host name. */
    public SSLParameters clientParameters() {
        SSLParameters p = sslContext.getDefaultSSLParameters();
        p.setProtocols(PROTOCOLS.toArray(String[]::new));
        return p;
    }

    public SSLServerSocket configure(SSLServerSocket socket) {
        socket.setSSLParameters(serverParameters());
        return socket;
    }

    public SSLSocket configure(SSLSocket socket) {
        socket.setSSLParameters(clientParameters());
        return socket;
    }

    public SSLEngine configure(SSLEngine engine, boolean clientMode) {
        engine.setUseClientMode(clientMode);
        engine.setSSLParameters(clientMode ? clientParameters() : serverParameters());
        return engine;
    }

    @Override
    public String toString() {
        return "TlsMaterial[node=" + nodeId + ", cert=" + certFile + "]";
    }
}
