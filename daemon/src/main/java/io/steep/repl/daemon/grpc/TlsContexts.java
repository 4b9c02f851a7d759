package io.steep.repl.daemon.grpc;

import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2SecurityUtil;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.steep.repl.daemon.certs.TlsMaterial;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Netty TLS contexts for node-to-node gRPC, built with the JDK provider (TLS 1.3 without netty-tcnative): TLS 1.3
 * only, trust = the cluster CA only, client certificate required on the server.
 *
 * <p>They wrap a JDK {@link SSLContext} in Netty's {@link JdkSslContext} directly, with what gRPC's
 * {@code GrpcSslContexts.configure} would set (ALPN {@code h2}, HTTP/2's cipher list), instead of going through
 * {@code SslContextBuilder}: the builder's server context class runs a self-test in its static initialiser (an
 * RSA key parsed, through BouncyCastle when it is on the class path, and a password-protected PKCS#12 store) that
 * cost a few hundred milliseconds of every daemon start. docs/benchmarks.md.
 */
public final class TlsContexts {

    /** gRPC speaks HTTP/2 only: advertise and accept nothing else (what GrpcSslContexts configures). */
    private static final ApplicationProtocolConfig ALPN_H2 = new ApplicationProtocolConfig(Protocol.ALPN,
            SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, "h2");

    private TlsContexts() {
    }

    /**
     * Runs the class initialisation of Netty's JDK TLS side ahead of the first context (start-up, on a thread of
     * its own). A failure is left for the first real context to report.
     */
    static void initialiseNetty() {
        try {
            Class.forName(JdkSslContext.class.getName(), true, TlsContexts.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // the context built next fails with the same cause, where it is reported
        }
    }

    public static SslContext server(TlsMaterial material) {
        return wrap(material.sslContext(), false, ClientAuth.REQUIRE, TlsMaterial.PROTOCOLS);
    }

    public static SslContext client(TlsMaterial material) {
        return wrap(material.sslContext(), true, ClientAuth.NONE, TlsMaterial.PROTOCOLS);
    }

    /** A client context from parts; {@code keys} may be null (no client certificate). Tests use other protocols. */
    public static SslContext client(KeyManagerFactory keys, TrustManagerFactory trust, List<String> protocols) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return wrap(context, true, ClientAuth.NONE, protocols);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the gRPC client TLS context: " + e.getMessage(), e);
        }
    }

    private static SslContext wrap(SSLContext context, boolean client, ClientAuth auth, List<String> protocols) {
        return new JdkSslContext(context, client, Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE,
                ALPN_H2, auth, protocols.toArray(String[]::new), false);
    }
}
