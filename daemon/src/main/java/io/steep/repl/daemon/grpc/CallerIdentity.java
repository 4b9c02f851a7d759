package io.steep.repl.daemon.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.steep.repl.daemon.certs.NodeIdentity;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who is calling: the node id named by the client certificate the TLS layer verified against the cluster CA
 * (SAN URI {@code spiffe://steep-repl/node/<id>}, else CN; see {@link NodeIdentity}), put into the gRPC
 * {@link Context} for the service to compare with the id a request claims. A verified certificate that names no
 * node is refused with UNAUTHENTICATED before any method runs. In plaintext mode there is no identity (empty).
 */
public final class CallerIdentity implements ServerInterceptor {

    static final Context.Key<String> NODE_ID = Context.key("steep-repl.caller-node-id");
    static final Context.Key<SocketAddress> ADDRESS = Context.key("steep-repl.caller-address");

    private final boolean tlsRequired;
    private final ConnectionLog log;

    CallerIdentity(boolean tlsRequired, ConnectionLog log) {
        this.tlsRequired = tlsRequired;
        this.log = log;
    }

    /** The verified node id of the current call, empty in plaintext mode. */
    public static Optional<String> nodeId() {
        return Optional.ofNullable(NODE_ID.get());
    }

    public static SocketAddress address() {
        return ADDRESS.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String nodeId = null;
        if (tlsRequired) {
            Optional<String> id = identity(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
            if (id.isEmpty()) {
                String method = call.getMethodDescriptor().getBareMethodName();
                log.callRefused(remote, method, "client certificate names no node");
                call.close(Status.UNAUTHENTICATED.withDescription("the client certificate names no steep-repl node "
                        + "(no " + NodeIdentity.URI_PREFIX + "<id> SAN and no node-id CN)"), new Metadata());
                return new ServerCall.Listener<>() { };
            }
            nodeId = id.get();
        }
        Context ctx = Context.current().withValue(NODE_ID, nodeId).withValue(ADDRESS, remote);
        return Contexts.interceptCall(ctx, call, headers, next);
    }

    private static Optional<String> identity(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? NodeIdentity.of(x509) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }
}
