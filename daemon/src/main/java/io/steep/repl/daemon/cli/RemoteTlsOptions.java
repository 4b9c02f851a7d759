package io.steep.repl.daemon.cli;

import io.steep.repl.daemon.certs.CertsDirectory;
import io.steep.repl.daemon.certs.ClusterCa;
import io.steep.repl.daemon.certs.NodeCertificateIssuer;
import io.steep.repl.daemon.certs.TlsMaterial;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The TLS options of commands that call a peer's gRPC: this node's certificate, key and the cluster CA, by
 * default the files `steep-repl tls issue-node` writes into the certs directory.
 */
public final class RemoteTlsOptions {

    @Option(names = "--cert", paramLabel = "FILE", description = "This node's certificate (default: <certs dir>/node-cert.pem).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "This node's private key (default: <certs dir>/node-key.pem).")
    Path key;

    @Option(names = "--ca", paramLabel = "FILE", description = "The cluster CA certificate (default: <certs dir>/ca-cert.pem).")
    Path ca;

    @Option(names = "--insecure", description = "Plaintext, for a daemon running with grpc.tls.insecure: true.")
    boolean insecure;

    /** Null when {@code --insecure}; otherwise the loaded material (a CertsException names a bad file). */
    TlsMaterial load() {
        if (insecure) {
            return null;
        }
        Path dir = CertsDirectory.current();
        return TlsMaterial.load(cert != null ? cert : dir.resolve(NodeCertificateIssuer.CERT_FILE),
                key != null ? key : dir.resolve(NodeCertificateIssuer.KEY_FILE),
                ca != null ? ca : dir.resolve(ClusterCa.CERT_FILE));
    }
}
