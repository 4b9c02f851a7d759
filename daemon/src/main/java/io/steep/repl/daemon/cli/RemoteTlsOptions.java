package io.steep.repl.daemon.cli;

import io.steep.repl.daemon.certs.CertsDirectory;
import io.steep.repl.daemon.certs.ClusterCa;
import io.steep.repl.daemon.certs.NodeCertificateIssuer;
import io.steep.repl.daemon.certs.TlsMaterial;
import io.steep.repl.daemon.config.ConfigException;
import io.steep.repl.daemon.config.ConfigLoader;
import io.steep.repl.daemon.config.DaemonConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The TLS options of commands that call a peer's gRPC: this node's certificate, key and the cluster CA. A file not
 * named is the one this node's daemon uses — {@code grpc.tls} of its config ({@code --config}, else
 * {@code $STEEP_REPL_CONFIG}, else the platform's file, as {@code status} finds it) — or, without a config file,
 * the one {@code steep-repl tls issue-node} writes into the certs directory.
 */
public final class RemoteTlsOptions {

    @Option(names = "--cert", paramLabel = "FILE",
            description = "This node's certificate (default: grpc.tls.cert_file of the config, else <certs dir>/node-cert.pem).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE",
            description = "This node's private key (default: grpc.tls.key_file of the config, else <certs dir>/node-key.pem).")
    Path key;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "The cluster CA certificate (default: grpc.tls.ca_file of the config, else <certs dir>/ca-cert.pem).")
    Path ca;

    @Option(names = "--insecure", description = "Plaintext, for a daemon running with grpc.tls.insecure: true.")
    boolean insecure;

    /**
     * Null when {@code --insecure}; otherwise the loaded material (a CertsException names a bad file). {@code spec}
     * is the running command's: the root's {@code --config} names the config to take defaults from. A config file
     * that exists but cannot be read is an error (the node's TLS settings are in it), not a reason to use others.
     */
    TlsMaterial load(CommandSpec spec) throws ConfigException {
        if (insecure) {
            return null;
        }
        Path[] files = {cert, key, ca};
        if (cert == null || key == null || ca == null) {
            Path[] defaults = defaults(SteepReplCommand.configOf(spec));
            for (int i = 0; i < files.length; i++) {
                files[i] = files[i] != null ? files[i] : defaults[i];
            }
        }
        return TlsMaterial.load(files[0], files[1], files[2]);
    }

    private static Path[] defaults(Path cliConfig) throws ConfigException {
        Path dir = CertsDirectory.current();
        Path[] fromDir = {dir.resolve(NodeCertificateIssuer.CERT_FILE), dir.resolve(NodeCertificateIssuer.KEY_FILE),
                dir.resolve(ClusterCa.CERT_FILE)};
        Optional<DaemonConfig> config = ConfigLoader.forThisProcess().forClientOf(cliConfig).loadIfPresent(cliConfig);
        if (config.isEmpty()) {
            return fromDir;
        }
        DaemonConfig.Tls tls = config.get().grpc().tls();
        return new Path[] {tls.certFile().orElse(fromDir[0]), tls.keyFile().orElse(fromDir[1]), tls.caFile().orElse(fromDir[2])};
    }
}
