package io.steep.repl.daemon.health;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderValues;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.grpc.netty.shaded.io.netty.handler.codec.http.TooLongHttpLineException;
import io.grpc.netty.shaded.io.netty.handler.timeout.ReadTimeoutHandler;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.steep.repl.daemon.lifecycle.Component;
import io.steep.repl.daemon.lifecycle.DaemonContext;
import io.steep.repl.daemon.lifecycle.StartupException;
import io.steep.repl.daemon.net.PortOwner;
import io.steep.repl.ipc.JsonTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /health /ready /live /metrics} on one Netty event loop (the Netty gRPC already brings). Answers
 * come from in-memory snapshots only, so probes never turn into database queries, and every answer is made on
 * the event loop that read the request: a probe costs the daemon one thread wake-up. (The JDK's built-in server
 * it replaces read each request on a virtual thread after its dispatcher thread accepted it: two wake-ups, and
 * twice the fixed-rate latency, docs/benchmarks.md.) Reads never block, so a client that sends nothing stalls
 * nobody; it is closed after {@link #IDLE_SECONDS}. Other methods get 405, other paths 404, requests that are not
 * HTTP 400, a request line or headers over the limits 414/431 — each with a JSON error body; a body over the
 * limit gets the aggregator's own empty 413 before it is read.
 *
 * <p>The one exception is {@code /metrics}: rendering every meter takes milliseconds (the first scrape ~100 ms),
 * and probes must not wait behind it, so it is rendered on a virtual thread. Requests pipelined behind a scrape
 * on the same connection wait for it, so answers keep their order.
 */
public final class HttpHealthServer implements Component {

    private static final Logger log = LoggerFactory.getLogger(HttpHealthServer.class);

    /** A connection that sends nothing for this long (idle keep-alive, or a request that never ends) is closed. */
    static final int IDLE_SECONDS = 30;
    /** Probes are a request line and a few headers; nothing here takes a body. */
    static final int MAX_LINE = 4096;
    static final int MAX_HEADERS = 8192;
    static final int MAX_BODY = 8192;
    /** Requests one connection may pipeline behind a scrape before it is closed (a scraper sends one at a time). */
    static final int MAX_BEHIND_SCRAPE = 16;
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final DaemonContext ctx;
    private EventLoopGroup loop;
    private Channel server;

    public HttpHealthServer(DaemonContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return "http";
    }

    /** The bound port (useful when configured as 0 in tests). */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void start() throws StartupException, IOException {
        var http = ctx.config().http();
        loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("steep-http", true), NioIoHandler.newFactory());
        try {
            server = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 64)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS),
                                    new HttpServerCodec(MAX_LINE, MAX_HEADERS, MAX_BODY),
                                    new HttpObjectAggregator(MAX_BODY),
                                    new Exchange());
                        }
                    })
                    .bind(new InetSocketAddress(http.bind(), http.port())).sync().channel();
        } catch (Exception e) { // bind() rethrows the socket's checked exceptions undeclared
            stop();
            if (e instanceof BindException) {
                throw new StartupException(PortOwner.bindFailure("HTTP", "http", http.bind(), http.port(), e, "127.0.0.1"), e);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot listen on " + http.bind() + ":" + http.port() + ": " + e.getMessage(), e);
        }
        log.info("health endpoint listening on http://{}:{}/health", http.bind(), port());
    }

    /** One per connection, on the event loop; requests on a kept-alive connection are answered in order. */
    private final class Exchange extends SimpleChannelInboundHandler<FullHttpRequest> {

        /** Requests pipelined behind a scrape in progress on this connection; event-loop confined, like the flag. */
        private final ArrayDeque<FullHttpRequest> behindScrape = new ArrayDeque<>();
        private boolean scraping;

        @Override
        protected void channelRead0(ChannelHandlerContext c, FullHttpRequest request) {
            if (!scraping) {
                handle(c, request);
            } else if (behindScrape.size() < MAX_BEHIND_SCRAPE) {
                behindScrape.add(request.retain()); // the base class releases it when this returns
            } else {
                c.close();
            }
        }

        private void handle(ChannelHandlerContext c, FullHttpRequest request) {
            if (request.decoderResult().isFailure()) {
                Throwable why = request.decoderResult().cause();
                HttpResponseStatus status = why instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                        : why instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        : HttpResponseStatus.BAD_REQUEST;
                String error = status == HttpResponseStatus.BAD_REQUEST ? "not an HTTP request: " + why.getMessage()
                        : status.reasonPhrase().toLowerCase(Locale.ROOT) + " (limits: request line "
                        + MAX_LINE + " bytes, headers " + MAX_HEADERS + " bytes, body " + MAX_BODY + " bytes)";
                respond(c, request.protocolVersion(), false, jsonResponse(status, Map.of("error", error)));
                return;
            }
            HttpVersion version = request.protocolVersion();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            String path = new QueryStringDecoder(request.uri()).path();
            HttpMethod method = request.method();
            if (!(path.equals("/metrics") && (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)))) {
                respond(c, version, keepAlive, answer(path, method));
                return;
            }
            scraping = true;
            c.channel().config().setAutoRead(false); // nothing more is read from this client until the scrape is out
            Thread.ofVirtual().name("http-metrics").start(() -> {
                FullHttpResponse r = scrape();
                if (c.executor().isShuttingDown()) {
                    r.release(); // the server stopped while it rendered: nobody to answer
                    return;
                }
                c.executor().execute(() -> {
                    respond(c, version, keepAlive, r);
                    scraping = false;
                    c.channel().config().setAutoRead(true);
                    while (!scraping && !behindScrape.isEmpty()) {
                        FullHttpRequest next = behindScrape.poll();
                        try {
                            handle(c, next);
                        } finally {
                            next.release();
                        }
                    }
                });
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext c) throws Exception {
            behindScrape.forEach(FullHttpRequest::release);
            behindScrape.clear();
            super.channelInactive(c);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            // resets, the idle timeout, a client gone mid-answer: nothing to tell anyone but this connection
            log.debug("health connection {} closed: {}", c.channel().remoteAddress(), cause.toString());
            c.close();
        }
    }

    private FullHttpResponse scrape() {
        try {
            return response(HttpResponseStatus.OK, PROMETHEUS_TEXT, ctx.meters().scrape().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            log.warn("metrics scrape failed", e);
            return jsonResponse(HttpResponseStatus.INTERNAL_SERVER_ERROR, Map.of("error", "internal error; see the daemon log"));
        }
    }

    /** Every answer but a scrape's, made on the event loop from in-memory snapshots. */
    private FullHttpResponse answer(String path, HttpMethod method) {
        boolean known = switch (path) {
            case "/health", "/ready", "/live", "/metrics" -> true;
            default -> false;
        };
        if (!known) {
            return jsonResponse(HttpResponseStatus.NOT_FOUND, Map.of("error", "not found", "paths", "/health /ready /live /metrics"));
        }
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            FullHttpResponse r = jsonResponse(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    Map.of("error", "method " + method.name() + " not allowed; use GET"));
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return r;
        }
        try {
            return switch (path) {
                case "/health" -> {
                    ObjectNode body = healthBody();
                    yield jsonResponse("healthy".equals(body.path("status").asText()) ? HttpResponseStatus.OK
                            : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
                }
                case "/ready" -> ready();
                default -> jsonResponse(HttpResponseStatus.OK, Map.of("alive", true)); // /live
            };
        } catch (RuntimeException e) {
            log.warn("health request {} failed", path, e);
            return jsonResponse(HttpResponseStatus.INTERNAL_SERVER_ERROR, Map.of("error", "internal error; see the daemon log"));
        }
    }

    /** The /health document, a tree written without data binding ({@link JsonTrees}). */
    public ObjectNode healthBody() {
        Map<String, ComponentHealth> components = ctx.health().snapshot();
        boolean healthy = components.values().stream().allMatch(ComponentHealth::healthy);
        DaemonContext.NodeInfo node = ctx.node();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", healthy ? "healthy" : "unhealthy");
        ObjectNode componentsJson = body.putObject("components");
        components.forEach((name, h) -> componentsJson.set(name, h.toJson()));
        body.putObject("node")
                .put("node_id", node.nodeId())
                .put("node_name", node.nodeName())
                .put("is_coordinator", node.isCoordinator());
        body.put("uptime_seconds", ctx.uptime().toSeconds());
        body.put("version", ctx.version());
        return body;
    }

    private FullHttpResponse ready() {
        for (Map.Entry<String, ComponentHealth> e : ctx.health().snapshot().entrySet()) {
            if (!e.getValue().healthy()) {
                ComponentHealth h = e.getValue();
                String reason = e.getKey().equals(HealthRegistry.POSTGRESQL) && !ctx.database().status().reachable()
                        ? "postgresql connection not established" + (h.error() == null ? "" : ": " + h.error())
                        : e.getKey() + " " + h.status() + (h.error() == null ? "" : ": " + h.error());
                return jsonResponse(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("ready", false, "reason", reason));
            }
        }
        return jsonResponse(HttpResponseStatus.OK, Map.of("ready", true));
    }

    /** {@code body}: a tree, or a map of text and booleans ({@link JsonTrees#valueOf}). */
    private static FullHttpResponse jsonResponse(HttpResponseStatus status, Object body) {
        FullHttpResponse r = response(status, "application/json", JsonTrees.bytes(JsonTrees.valueOf(body)));
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return r;
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    /**
     * Writes the answer and closes unless kept. For HEAD the codec, which saw the request's method, writes the
     * headers only (Content-Length stays: what a GET would get).
     */
    private static void respond(ChannelHandlerContext c, HttpVersion version, boolean keepAlive, FullHttpResponse r) {
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version.equals(HttpVersion.HTTP_1_0)) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        var written = c.writeAndFlush(r);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (loop != null) {
            // no quiet period: probes are answered within the loop's turn; give a running one a second
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
