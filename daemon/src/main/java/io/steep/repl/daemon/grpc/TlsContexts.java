package io.steep.repl.daemon.grpc;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.steep.repl.daemon.certs.TlsMaterial;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Netty TLS contexts for node-to-node gRPC, built with the JDK provider (TLS 1.3 without netty-tcnative): TLS 1.3
 * only, trust = the cluster CA only, client certificate required on the server.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    public static SslContext server(TlsMaterial material) {
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forServer(material.keyManagerFactory()), SslProvider.JDK)
                    .protocols(TlsMaterial.PROTOCOLS)
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(material.trustManagerFactory())
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the gRPC server TLS context from " + material + ": "
                    + e.getMessage(), e);
        }
    }

    public static SslContext client(TlsMaterial material) {
        return client(material.keyManagerFactory(), material.trustManagerFactory(), TlsMaterial.PROTOCOLS);
    }

    /** A client context from parts; {@code keys} may be null (no client certificate). Tests use other protocols. */
    public static SslContext client(KeyManagerFactory keys, TrustManagerFactory trust, List<String> protocols) {
        try {
            SslContextBuilder b = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
                    .protocols(protocols)
                    .trustManager(trust);
            if (keys != null) {
                b.keyManager(keys);
            }
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the gRPC client TLS context: " + e.getMessage(), e);
        }
    }
}
