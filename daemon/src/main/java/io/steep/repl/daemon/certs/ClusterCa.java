package io.steep.repl.daemon.certs;

import io.steep.repl.daemon.certs.CertsException.Reason;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificate authority: one per cluster, created once, then used to sign every node's certificate.
 * Not a record on purpose: it holds a private key, and a record's generated {@code toString} could print it.
 */
public final class ClusterCa {

    public static final String CERT_FILE = "ca-cert.pem";
    public static final String KEY_FILE = "ca-key.pem";
    public static final String DEFAULT_NAME = "steep-repl cluster CA";
    public static final int DEFAULT_DAYS = 3650;
    public static final int MAX_DAYS = 36500;

    /**
     * Node certificates start a few minutes in the past so a peer whose clock is slightly behind does not refuse a
     * certificate issued a moment ago.
     */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What {@link #initialize} wrote. Paths only: key material never leaves this class through a result. */
    public record CaFiles(Path certificate, Path key, CertificateReport report) {
    }

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private ClusterCa(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "ClusterCa[" + certificate.getSubjectX500Principal().getName() + "]";
    }

    // ------------------------------------------------------------------------------------------- create / load

    /** A new CA in memory: P-256 key, self-signed, CA with pathLen 0, keyCertSign + cRLSign. */
    public static ClusterCa generate(String commonName, int days, Clock clock) {
        String cn = requireCommonName(commonName);
        requireDays(days);
        KeyPair keys = EcKeys.generateP256();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, randomSerial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(Duration.ofDays(days))), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new ClusterCa(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the CA certificate", e);
        }
    }

    /**
     * {@code steep-repl tls init-ca}: creates a CA in {@code dir} ({@code ca-cert.pem} 0644, {@code ca-key.pem}
     * 0600). Refuses when either file exists unless {@code force}: replacing a CA orphans every node it signed.
     */
    public static CaFiles initialize(Path dir, String commonName, int days, boolean force, Clock clock) {
        Path cert = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        if (!force && (Files.exists(cert) || Files.exists(key))) {
            throw new CertsException(Reason.ALREADY_EXISTS, "a CA already exists in " + dir + " (" + CERT_FILE + "/"
                    + KEY_FILE + "); replacing it would invalidate every node certificate it signed. Use it to issue "
                    + "more nodes, or pass --force to replace it");
        }
        ClusterCa ca = generate(commonName, days, clock);
        PemFiles.createPrivateDirectories(dir);
        // key first: a certificate without its key is useless, a key without its certificate is recoverable
        PemFiles.writePrivateKey(key, ca.privateKey);
        PemFiles.writeCertificate(cert, ca.certificate);
        return new CaFiles(cert, key, CertificateReport.describe(cert, ca.certificate, ca.certificate, clock));
    }

    /** Loads the CA of {@code dir}, checking that the key belongs to the certificate and that it is a CA. */
    public static ClusterCa load(Path dir) {
        Path cert = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        if (!Files.exists(cert) && !Files.exists(key)) {
            throw new CertsException(Reason.NOT_FOUND, "no CA in " + dir + " (" + CERT_FILE + " and " + KEY_FILE
                    + " missing); create one with `steep-repl tls init-ca --out " + dir + "`");
        }
        X509Certificate certificate = PemFiles.readCertificate(cert);
        PrivateKey privateKey = PemFiles.readPrivateKey(key);
        if (certificate.getBasicConstraints() < 0) {
            throw new CertsException(Reason.INVALID_FILE, cert + " is not a CA certificate (no basicConstraints CA)");
        }
        if (!EcKeys.matches(privateKey, certificate.getPublicKey())) {
            throw new CertsException(Reason.VERIFICATION_FAILED, key + " does not belong to the certificate in " + cert);
        }
        return new ClusterCa(certificate, privateKey);
    }

    // ------------------------------------------------------------------------------------------- issue

    /**
     * Signs a node certificate for {@code publicKey}. The CA alone decides its content: subject CN = node id, SAN
     * URI {@code spiffe://steep-repl/node/<id>} plus the DNS/IP SANs of {@code hosts}, CA:false, digitalSignature,
     * serverAuth + clientAuth. Validity starts {@link #BACKDATE} before now and never outlives the CA.
     */
    public X509Certificate signNode(PublicKey publicKey, String nodeId, List<String> hosts, int days, Clock clock) {
        NodeIdentity.requireValid(nodeId);
        requireDays(days);
        List<NodeHosts.Host> parsedHosts = NodeHosts.parse(hosts);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant caEnd = certificate.getNotAfter().toInstant();
        if (!caEnd.isAfter(now)) {
            throw new CertsException(Reason.VERIFICATION_FAILED, "the CA certificate expired on " + caEnd
                    + "; create a new CA (steep-repl tls init-ca --force) and re-issue every node");
        }
        Instant notAfter = now.plus(Duration.ofDays(days));
        if (notAfter.isAfter(caEnd)) {
            notAfter = caEnd; // a node certificate cannot be trusted past its CA anyway
        }
        List<GeneralName> sans = new ArrayList<>();
        sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, NodeIdentity.uriOf(nodeId)));
        parsedHosts.forEach(h -> sans.add(h.generalName()));
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500Name issuer = new JcaX509CertificateHolder(certificate).getSubject();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, nodeId).build();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, randomSerial(),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(sans.toArray(GeneralName[]::new)))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate.getPublicKey()));
            return sign(builder, privateKey);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the node certificate", e);
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    static int requireDays(int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw new CertsException(Reason.INVALID_ARGUMENT,
                    "--days must be between 1 and " + MAX_DAYS + " (got " + days + ")");
        }
        return days;
    }

    private static String requireCommonName(String commonName) {
        if (commonName == null || commonName.isBlank() || commonName.length() > 64
                || commonName.chars().anyMatch(Character::isISOControl)) {
            throw new CertsException(Reason.INVALID_ARGUMENT,
                    "CA name must be 1 to 64 printable characters (got '" + commonName + "')");
        }
        return commonName.strip();
    }

    /** A random positive 128-bit serial (RFC 5280 allows up to 20 octets; randomness defeats collision attacks). */
    static BigInteger randomSerial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(EcKeys.SIGNATURE_ALGORITHM).build(key);
            byte[] der = builder.build(signer).getEncoded();
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (OperatorCreationException | GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot sign the certificate", e);
        }
    }
}
