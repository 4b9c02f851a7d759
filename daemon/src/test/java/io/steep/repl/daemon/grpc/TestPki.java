package io.steep.repl.daemon.grpc;

import io.steep.repl.daemon.certs.ClusterCa;
import io.steep.repl.daemon.certs.NodeCertificateIssuer;
import io.steep.repl.daemon.certs.PemFiles;
import io.steep.repl.daemon.certs.TlsMaterial;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;

/** Real certificates for tests, made with the certs package: a cluster CA and node bundles under a temp dir. */
final class TestPki {

    record Bundle(Path cert, Path key, Path ca) {
        TlsMaterial material() {
            return TlsMaterial.load(cert, key, ca);
        }

        /** Key managers straight from the files, without TlsMaterial's validity checks (for bad certificates). */
        KeyManagerFactory keyManagers() throws Exception {
            List<X509Certificate> chain = PemFiles.readCertificates(cert);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("k", PemFiles.readPrivateKey(key), new char[0], chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            return kmf;
        }
    }

    private final Path root;
    private final Path caDir;

    TestPki(Path root) {
        this.root = root;
        this.caDir = root.resolve("ca");
        ClusterCa.initialize(caDir, "steep-repl test CA", 30, false, Clock.systemUTC());
    }

    private final java.util.Map<String, Bundle> issued = new java.util.concurrent.ConcurrentHashMap<>();

    /** The node's bundle, issued on first use. */
    Bundle node(String id) {
        return issued.computeIfAbsent(id, i -> issue(i, i, Clock.systemUTC(), 30));
    }

    /** A certificate that expired days ago. */
    Bundle expired(String id) {
        return issued.computeIfAbsent(id + "/expired", k -> expiredNow(id));
    }

    private Bundle expiredNow(String id) {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(10)), ZoneOffset.UTC);
        return issue(id, id + "-expired", past, 1);
    }

    private Bundle issue(String id, String dirName, Clock clock, int days) {
        NodeCertificateIssuer.IssuedBundle b = NodeCertificateIssuer.issue(caDir, id, List.of("127.0.0.1", "localhost"),
                days, root.resolve(dirName), false, clock);
        return new Bundle(b.certificate(), b.key(), b.caCertificate());
    }
}
