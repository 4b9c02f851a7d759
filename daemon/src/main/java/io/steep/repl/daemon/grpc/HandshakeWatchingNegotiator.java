package io.steep.repl.daemon.grpc;

import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.netty.channel.ChannelDuplexHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.util.AsciiString;

import java.nio.channels.ClosedChannelException;

/**
 * Wraps gRPC's server TLS negotiator so a failed handshake is logged with the peer's address. Neither a
 * {@code ServerTransportFilter} nor an interceptor ever sees a connection whose handshake failed, and a trust
 * manager sees neither the address nor the failures that happen before certificates (a TLS 1.2 client, no client
 * certificate, plaintext). So this puts a pass-through handler right behind gRPC's TLS handlers: every exception
 * raised while the {@link SslHandler}'s handshake has not succeeded is a handshake failure.
 *
 * <p>Uses grpc-netty's {@code Internal*} negotiator API, the documented extension point for this; a grpc upgrade
 * that changes it breaks compilation here, not silently at run time.
 */
final class HandshakeWatchingNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {

    private final InternalProtocolNegotiator.ProtocolNegotiator delegate;
    private final ConnectionLog log;

    HandshakeWatchingNegotiator(InternalProtocolNegotiator.ProtocolNegotiator delegate, ConnectionLog log) {
        this.delegate = delegate;
        this.log = log;
    }

    @Override
    public AsciiString scheme() {
        return delegate.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        return new Watch(delegate.newHandler(grpcHandler), log);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private static final class Watch extends ChannelDuplexHandler {
        private final ChannelHandler negotiation;
        private final ConnectionLog log;
        private boolean reported;
        /** Whether the peer sent any byte at all; set by {@link FirstBytes} (same event loop, no locking). */
        private boolean anyBytes;

        Watch(ChannelHandler negotiation, ConnectionLog log) {
            this.negotiation = negotiation;
            this.log = log;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
            // gRPC's TLS handlers go in front of this one, so their failures pass through here
            ctx.pipeline().addBefore(ctx.name(), null, negotiation);
            // in front of everything, raw bytes: tells a silent TCP check apart from a failed handshake
            ctx.pipeline().addFirst(new FirstBytes());
            super.handlerAdded(ctx);
        }

        /** Notes the first inbound read, then takes itself out of the pipeline. */
        private final class FirstBytes extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                anyBytes = true;
                ctx.pipeline().remove(this);
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            boolean handshaken = ssl != null && ssl.handshakeFuture().isSuccess();
            if (!handshaken && !reported) {
                reported = true;
                if (!anyBytes && cause instanceof ClosedChannelException) {
                    log.closedWithoutData(ctx.channel().remoteAddress());
                } else {
                    log.handshakeFailed(ctx.channel().remoteAddress(), cause);
                }
            }
            super.exceptionCaught(ctx, cause);
        }
    }
}
