package io.steep.repl.daemon.certs;

import io.steep.repl.daemon.certs.CertsException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

/**
 * {@code steep-repl tls issue-node}: the one-machine flow, where the CA holder makes a node's key and certificate
 * and hands over the bundle. When the key must not travel, use {@link CertificateSigningRequests} instead.
 */
public final class NodeCertificateIssuer {

    public static final String CERT_FILE = "node-cert.pem";
    public static final String KEY_FILE = "node-key.pem";
    public static final int DEFAULT_DAYS = 365;

    /** What {@link #issue} wrote: the bundle a node needs. Paths only, never key material. */
    public record IssuedBundle(Path certificate, Path key, Path caCertificate, CertificateReport report) {
    }

    private NodeCertificateIssuer() {
    }

    /**
     * Writes {@code node-key.pem} (0600), {@code node-cert.pem} (0644) and a copy of {@code ca-cert.pem} (0644)
     * into {@code outDir}. Refuses to replace an existing node key or certificate unless {@code force}.
     */
    public static IssuedBundle issue(Path caDir, String nodeId, List<String> hosts, int days, Path outDir,
                                     boolean force, Clock clock) {
        NodeIdentity.requireValid(nodeId);
        NodeHosts.parse(hosts);
        ClusterCa.requireDays(days);
        Path cert = outDir.resolve(CERT_FILE);
        Path key = outDir.resolve(KEY_FILE);
        if (!force && (Files.exists(cert) || Files.exists(key))) {
            throw new CertsException(Reason.ALREADY_EXISTS, outDir + " already holds a node certificate or key ("
                    + CERT_FILE + "/" + KEY_FILE + "); choose another --out or pass --force to replace them");
        }
        ClusterCa ca = ClusterCa.load(caDir);
        KeyPair keys = EcKeys.generateP256();
        X509Certificate certificate = ca.signNode(keys.getPublic(), nodeId, hosts, days, clock);
        PemFiles.createPrivateDirectories(outDir);
        PemFiles.writePrivateKey(key, keys.getPrivate());
        PemFiles.writeCertificate(cert, certificate);
        Path caCopy = outDir.resolve(ClusterCa.CERT_FILE);
        if (!sameFile(caCopy, caDir.resolve(ClusterCa.CERT_FILE))) {
            PemFiles.writeCertificate(caCopy, ca.certificate());
        }
        return new IssuedBundle(cert, key, caCopy, CertificateReport.describe(cert, certificate, ca.certificate(), clock));
    }

    static boolean sameFile(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
