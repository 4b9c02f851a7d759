package io.steep.repl.daemon.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.steep.repl.daemon.lifecycle.Component;
import io.steep.repl.daemon.lifecycle.DaemonContext;
import io.steep.repl.daemon.lifecycle.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /health /ready /live /metrics} on the JDK's built-in HTTP server (starts in milliseconds, no
 * extra dependency), one virtual thread per exchange. Answers come from in-memory snapshots only, so probes
 * never turn into database queries. Other methods get 405, other paths 404.
 */
public final class HttpHealthServer implements Component {

    private static final Logger log = LoggerFactory.getLogger(HttpHealthServer.class);

    private final DaemonContext ctx;
    /**
     * Requests run on virtual threads (a slow client ties up no platform thread), but Jackson's default buffer
     * recycling is per thread, so each request allocated fresh ~16 KB encoding buffers: half of the daemon's
     * allocation under /health load, and young collections every few milliseconds. One shared pool fixes it.
     */
    private final ObjectMapper json = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build());
    private HttpServer server;
    private ExecutorService executor;

    public HttpHealthServer(DaemonContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return "http";
    }

    /** The bound port (useful when configured as 0 in tests). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void start() throws StartupException, IOException {
        var http = ctx.config().http();
        try {
            server = HttpServer.create(new InetSocketAddress(http.bind(), http.port()), 64);
        } catch (BindException e) {
            String owner = PortOwner.describe(http.port()).map(o -> " by " + o).orElse("");
            throw new StartupException("HTTP port " + http.bind() + ":" + http.port() + " is already in use" + owner
                    + " (" + e.getMessage() + "); set repl.http.port to a free port or stop that process", e);
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        log.info("health endpoint listening on http://{}:{}/health", http.bind(), port());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            boolean known = switch (path) {
                case "/health", "/ready", "/live", "/metrics" -> true;
                default -> false;
            };
            if (!known) {
                send(ex, 404, Map.of("error", "not found", "paths", "/health /ready /live /metrics"));
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, Map.of("error", "method " + method + " not allowed; use GET"));
                return;
            }
            switch (path) {
                case "/health" -> {
                    Map<String, Object> body = healthBody();
                    send(ex, "healthy".equals(body.get("status")) ? 200 : 503, body);
                }
                case "/ready" -> ready(ex);
                case "/live" -> send(ex, 200, Map.of("alive", true));
                default -> {
                    byte[] text = ctx.meters().scrape().getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    write(ex, 200, text);
                }
            }
        } catch (RuntimeException e) {
            log.warn("health request failed", e);
        }
    }

    /** The /health document (also what {@code status} prints). */
    public Map<String, Object> healthBody() {
        Map<String, ComponentHealth> components = ctx.health().snapshot();
        boolean healthy = components.values().stream().allMatch(ComponentHealth::healthy);
        DaemonContext.NodeInfo node = ctx.node();
        Map<String, Object> nodeJson = new LinkedHashMap<>();
        nodeJson.put("node_id", node.nodeId());
        nodeJson.put("node_name", node.nodeName());
        nodeJson.put("is_coordinator", node.isCoordinator());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "healthy" : "unhealthy");
        body.put("components", components);
        body.put("node", nodeJson);
        body.put("uptime_seconds", ctx.uptime().toSeconds());
        body.put("version", ctx.version());
        return body;
    }

    private void ready(HttpExchange ex) throws IOException {
        for (Map.Entry<String, ComponentHealth> e : ctx.health().snapshot().entrySet()) {
            if (!e.getValue().healthy()) {
                ComponentHealth h = e.getValue();
                String reason = e.getKey().equals(HealthRegistry.POSTGRESQL) && !ctx.database().status().reachable()
                        ? "postgresql connection not established" + (h.error() == null ? "" : ": " + h.error())
                        : e.getKey() + " " + h.status() + (h.error() == null ? "" : ": " + h.error());
                send(ex, 503, Map.of("ready", false, "reason", reason));
                return;
            }
        }
        send(ex, 200, Map.of("ready", true));
    }

    private void send(HttpExchange ex, int code, Object body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        write(ex, code, json.writeValueAsBytes(body));
    }

    private static void write(HttpExchange ex, int code, byte[] bytes) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(code, -1);
            return;
        }
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(1); // stop accepting; give in-flight exchanges a second
        }
        if (executor != null) {
            executor.close();
        }
    }
}
