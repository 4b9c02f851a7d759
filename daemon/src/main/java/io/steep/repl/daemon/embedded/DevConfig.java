package io.steep.repl.daemon.embedded;

import io.steep.repl.daemon.certs.ClusterCa;
import io.steep.repl.daemon.certs.NodeCertificateIssuer;

import java.time.Clock;
import java.util.List;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The config {@code run --embedded-postgres} writes when none exists: this machine as a one-node dev cluster. */
public final class DevConfig {

    /** Not 5432 (a real server may run there) and not 5433 (gRPC's default). */
    public static final int EMBEDDED_PORT = 54320;

    private DevConfig() {
    }

    /** A node id from the host name: lower case, only the characters node ids allow, at most 63. */
    public static String nodeIdFrom(String hostname) {
        String s = hostname.toLowerCase(Locale.ROOT).replaceAll("\\..*$", "").replaceAll("[^a-z0-9._-]", "-")
                .replaceAll("^[^a-z0-9]+", "");
        if (s.length() > 63) {
            s = s.substring(0, 63);
        }
        return s.isEmpty() ? "dev-node" : s;
    }

    public static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "dev-node";
        }
    }

    public static String text(String nodeId) {
        return """
                # steep-repl development configuration, written by 'steep-repl run --embedded-postgres'.
                # Reference: docs/config.md. Safe to edit; it is never overwritten.
                repl:
                  node_id: %s
                  node_name: "%s development node"
                  postgresql:
                    host: 127.0.0.1
                    port: %d
                    database: postgres
                    user: postgres
                    sslmode: disable
                  grpc:
                    bind: 127.0.0.1
                    port: 5433
                    # a one-node development CA made by the main job; see docs/certificates.md for real clusters
                    tls:
                      cert_file: certs/node-cert.pem
                      key_file: certs/node-key.pem
                      ca_file: certs/ca-cert.pem
                  http:
                    bind: 127.0.0.1
                    port: 8080
                """.formatted(nodeId, nodeId, EMBEDDED_PORT);
    }

    /**
     * The TLS files the dev config names: a development CA under {@code certs/ca/} (its key stays there) and this
     * node's certificate for localhost in {@code certs/}. Existing files are kept.
     *
     * @return true when it created them
     */
    public static boolean writeCertificatesIfMissing(Path configDir, String nodeId) {
        Path certs = configDir.resolve("certs");
        if (Files.exists(certs.resolve(NodeCertificateIssuer.CERT_FILE))) {
            return false;
        }
        Path caDir = certs.resolve("ca");
        if (!Files.exists(caDir.resolve(ClusterCa.CERT_FILE))) {
            ClusterCa.initialize(caDir, "steep-repl development CA (" + nodeId + ")", ClusterCa.DEFAULT_DAYS, false, Clock.systemUTC());
        }
        NodeCertificateIssuer.issue(caDir, nodeId, List.of("localhost", "127.0.0.1", "::1"),
                NodeCertificateIssuer.DEFAULT_DAYS, certs, false, Clock.systemUTC());
        return true;
    }

    /** Writes the dev config at {@code file} unless a file exists there; returns true if it wrote one. */
    public static boolean writeIfMissing(Path file, String nodeId) throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text(nodeId));
        return true;
    }
}
