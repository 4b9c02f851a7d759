package io.steep.repl.daemon.grpc;

import io.steep.repl.daemon.cluster.InvalidFieldException;
import java.nio.file.Path;

/**
 * The {@code grpc:} section of the config.
 *
 * @param bindHost {@code grpc.bind} (default all interfaces, like upstream: peers must reach it)
 * @param port     {@code grpc.port} (upstream's default 5433; 0 = any free port, for tests)
 * @param certFile {@code grpc.tls.cert_file}
 * @param keyFile  {@code grpc.tls.key_file}
 * @param caFile   {@code grpc.tls.ca_file}
 * @param insecure {@code grpc.tls.insecure}: plaintext, only when set explicitly; warned about on every start
 */
public record GrpcSettings(String bindHost, int port, Path certFile, Path keyFile, Path caFile, boolean insecure) {

    public static final int DEFAULT_PORT = 5433;

    public GrpcSettings {
        bindHost = bindHost == null || bindHost.isBlank() ? "0.0.0.0" : bindHost;
        if (port < 0 || port > 65535) {
            throw new InvalidFieldException("grpc.port", "must be between 1 and 65535 (got " + port + ")");
        }
        if (!insecure) {
            require("grpc.tls.cert_file", certFile);
            require("grpc.tls.key_file", keyFile);
            require("grpc.tls.ca_file", caFile);
        }
    }

    private static void require(String key, Path file) {
        if (file == null) {
            throw new InvalidFieldException(key, "is not set: node-to-node gRPC requires mutual TLS. Create the files "
                    + "with `steep-repl tls init-ca` and `steep-repl tls issue-node`, or set grpc.tls.insecure: true "
                    + "for a plaintext test cluster");
        }
    }

    public boolean tlsEnabled() {
        return !insecure;
    }
}
