package io.steep.repl.tray.testing;

import io.steep.repl.testing.IpcAddress;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcJson;
import io.steep.repl.ipc.IpcResponse;
import io.steep.repl.ipc.transport.IpcConnection;
import io.steep.repl.ipc.transport.IpcEndpoint;
import io.steep.repl.ipc.transport.IpcListener;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in daemon for the tray's tests and screenshots: shared-proto's real unix-socket listener and JSON-lines
 * codec, with canned answers for every method the tray calls — shaped like the real daemon's (same fields, same
 * error codes; docs/ipc.md and the daemon's {@code io.steep.repl.daemon.ipc} classes). The UI tests that can run
 * against the real daemon do ({@code RealDaemon*UiTest}); this one stays for what the real one cannot do in a test:
 * service.* (it would touch the system's service manager), pushed events on demand, and screenshots.
 */
public final class FakeDaemon implements AutoCloseable {

    /** A method handler: params in, result out, or an {@link IpcException} for an error answer. */
    @FunctionalInterface
    public interface Handler {
        JsonNode handle(JsonNode params) throws IpcException;
    }

    public record Call(String method, JsonNode params) {
    }

    private final Path socket;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<OutputStream> subscribers = new CopyOnWriteArrayList<>();
    private final List<IpcConnection> open = new CopyOnWriteArrayList<>();
    private volatile IpcListener listener;
    private volatile boolean caExists = true;
    private volatile boolean extensionInstalled;

    public FakeDaemon(Path socket) {
        this.socket = socket;
        cannedAnswers();
    }

    public Path socket() {
        return socket;
    }

    public List<Call> calls() {
        return calls;
    }

    /** The last call of {@code method} (the tray also refreshes its snapshot after actions). */
    public Call last(String method) {
        return calls.reversed().stream().filter(c -> c.method().equals(method)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + method + " call"));
    }

    public long count(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).count();
    }

    public FakeDaemon on(String method, Handler h) {
        handlers.put(method, h);
        return this;
    }

    public static Handler fail(IpcErrorCode code, String message) {
        return p -> {
            throw new IpcException(code, message);
        };
    }

    public synchronized FakeDaemon start() throws IOException {
        listener = IpcEndpoint.of(IpcAddress.of(socket)).listen();
        IpcListener l = listener;
        // platform threads: junixsocket blocks in native code, which pins a virtual thread's carrier, and a few
        // pinned readers starve a 2-core machine's carriers (seen as calls that never get an answer)
        Thread.ofPlatform().daemon().name("fake-daemon-accept").start(() -> {
            while (true) {
                IpcConnection c;
                try {
                    c = l.accept();
                } catch (IOException e) {
                    return;
                }
                open.add(c);
                Thread.ofPlatform().daemon().name("fake-daemon-conn").start(() -> serve(c));
            }
        });
        return this;
    }

    /** Like a daemon killed: the socket goes away and every client sees its connection end. */
    public synchronized void stop() throws IOException {
        if (listener != null) {
            listener.close();
            listener = null;
        }
        for (IpcConnection c : open) {
            c.close();
        }
        open.clear();
        subscribers.clear();
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private void serve(IpcConnection c) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(c.input(), StandardCharsets.UTF_8))) {
            OutputStream out = c.output();
            String line;
            while ((line = in.readLine()) != null) {
                IpcJson.Decoded d = IpcJson.decodeRequest(line.getBytes(StandardCharsets.UTF_8));
                IpcResponse r;
                if (d instanceof IpcJson.Valid v) {
                    JsonNode params = v.request().params() == null ? IpcJson.mapper().createObjectNode() : v.request().params();
                    calls.add(new Call(v.request().method(), params));
                    Handler h = handlers.get(v.request().method());
                    if (v.request().method().equals("events.subscribe")) {
                        subscribers.add(out);
                    }
                    try {
                        r = h == null ? IpcResponse.failure(v.request().id(), IpcErrorCode.METHOD_NOT_FOUND, "no method " + v.request().method())
                                : IpcResponse.success(v.request().id(), h.handle(params));
                    } catch (IpcException e) {
                        r = new IpcResponse(v.request().id(), null, e.toError());
                    } catch (RuntimeException e) {
                        // a bug in a canned answer must show up in the test, not hang it
                        e.printStackTrace();
                        r = IpcResponse.failure(v.request().id(), IpcErrorCode.INTERNAL_ERROR, "fake daemon: " + e);
                    }
                } else {
                    IpcJson.Invalid i = (IpcJson.Invalid) d;
                    r = IpcResponse.failure(i.id(), IpcErrorCode.INVALID_REQUEST, i.message());
                }
                synchronized (out) {
                    out.write(IpcJson.line(r));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // client gone or stop(): nothing to answer
        } finally {
            open.remove(c);
        }
    }

    /** Pushes {@code {"event","data"}} to every subscribed connection. */
    public void push(String event, JsonNode data) throws IOException {
        ObjectNode line = IpcJson.mapper().createObjectNode().put("event", event);
        line.set("data", data);
        for (OutputStream out : subscribers) {
            synchronized (out) {
                out.write(IpcJson.line(line));
                out.flush();
            }
        }
    }

    public static ObjectNode json() {
        return IpcJson.mapper().createObjectNode();
    }

    public static ObjectNode node(String id, String name, String host, int priority, boolean coordinator, Instant lastSeen, String status) {
        ObjectNode n = json().put("node_id", id).put("node_name", name).put("host", host).put("port", 5433)
                .put("priority", priority).put("is_coordinator", coordinator).put("status", status);
        n.put("last_seen", lastSeen == null ? null : lastSeen.toString());
        return n;
    }

    public static ObjectNode status(String pgVersion, boolean pgConnected) {
        ObjectNode s = json().put("state", "running").put("pid", 4242).put("uptime_seconds", 93784)
                .put("start_time", Instant.now().minusSeconds(93784).toString()).put("version", "0.1.0");
        s.putObject("postgresql").put("connected", pgConnected).put("version", pgVersion).put("host", "localhost").put("port", 5432);
        s.putObject("grpc").put("listening", true).put("port", 5433).put("tls_enabled", true);
        s.putObject("node").put("node_id", "node-a").put("node_name", "Primary (Berlin)").put("is_coordinator", true).put("cluster_size", 3);
        return s;
    }

    public static ObjectNode health(String overall) {
        ObjectNode h = json().put("status", overall);
        ObjectNode c = h.putObject("components");
        c.putObject("postgresql").put("healthy", !overall.equals("unhealthy")).put("status", overall.equals("unhealthy") ? "disconnected" : "connected").put("latency_ms", 2);
        c.putObject("grpc").put("healthy", true).put("status", "listening");
        c.putObject("ipc").put("healthy", true).put("status", "listening");
        return h;
    }

    /** A certificate report as the daemon's CertsJson writes it (camelCase, see docs/ipc.md). */
    static ObjectNode report(String file, String subject, List<String> sans, int daysLeft, String fingerprint, boolean ca) {
        Instant now = Instant.now();
        ObjectNode r = json().put("file", file).put("subject", subject).put("issuer", "CN=steep-repl cluster CA")
                .put("nodeId", ca ? null : subject.replaceFirst("^CN=", ""));
        ArrayNode s = r.putArray("subjectAltNames");
        sans.forEach(s::add);
        r.put("serial", "5e1f0c2a9b7d4e11").put("notBefore", now.minusSeconds(86400).toString().substring(0, 19) + "Z")
                .put("notAfter", now.plusSeconds(daysLeft * 86400L).toString().substring(0, 19) + "Z")
                .put("daysLeft", daysLeft).put("sha256Fingerprint", fingerprint).put("certificateAuthority", ca)
                .put("chain", ca ? "SELF_SIGNED_CA" : "SIGNED_BY_CA");
        r.putArray("warnings");
        return r;
    }

    public static final String FP = "3F:A2:9C:11:7B:E0:4D:52:88:C1:0A:9E:D3:62:F7:15:4B:0C:E9:27:A1:5D:36:C8:90:7E:12:AF:44:D1:6B:03";

    /** The daemon's certificate directory when a call names none (here: where the packages put it). */
    public static final String CERTS_DIR = "/etc/steep/certs";

    /** Like the daemon's AdminParams: an absent path is the default, a relative one is INVALID_PARAMS. */
    static String path(JsonNode p, String field, String fallback) throws IpcException {
        if (!p.hasNonNull(field)) {
            return fallback;
        }
        String text = p.get(field).asText();
        if (!text.startsWith("/")) {
            throw new IpcException(IpcErrorCode.INVALID_PARAMS, "params." + field + " must be an absolute path (the daemon"
                    + " does not share your working directory), got \"" + text + "\"");
        }
        return text;
    }

    /** An operation answer of service.* (ServiceMethods.Operate): the real one carries no "unit". */
    static ObjectNode serviceOperation(String operation, String scope) {
        return json().put("operation", operation).put("scope", scope).put("manager", "systemd").put("dry_run", false)
                .put("scheduled", false).put("message", "done: " + operation + " steep-repl (systemd, " + scope + " service)")
                .put("log", "systemctl --user daemon-reload\nsystemctl --user " + operation + " steep-repl.service\n");
    }

    /** Extension status fields of ExtensionMethods.State. */
    static ObjectNode extensionStatus(String serverVersion, int versionNum, boolean available, String installedVersion, boolean superuser) {
        return json().put("database", "steep").put("role", superuser ? "postgres" : "steep_repl").put("superuser", superuser)
                .put("server_version", serverVersion).put("server_version_num", versionNum).put("supported", versionNum >= 180000)
                .put("available", available).put("default_version", available ? "0.1.0" : null)
                .put("installed", installedVersion != null).put("installed_version", installedVersion)
                .put("update_available", installedVersion != null && available && !installedVersion.equals("0.1.0"));
    }

    public static ObjectNode extensionStatus(String serverVersion, int versionNum, boolean available, String installedVersion) {
        return extensionStatus(serverVersion, versionNum, available, installedVersion, true);
    }

    private void cannedAnswers() {
        Instant now = Instant.now();
        on("events.subscribe", p -> {
            ObjectNode r = json();
            r.putArray("subscribed").add("status.changed").add("health.changed").add("node.changed").add("audit.appended");
            return r;
        });
        on("status.get", p -> status("18.1", true));
        on("health.check", p -> health("healthy"));
        on("nodes.list", p -> {
            ObjectNode r = json();
            r.putArray("nodes")
                    .add(node("node-a", "Primary (Berlin)", "10.0.1.10", 80, true, now.minusSeconds(2), "healthy"))
                    .add(node("node-b", "Replica (Frankfurt)", "10.0.2.11", 50, false, now.minusSeconds(4), "healthy"))
                    .add(node("node-c", "Replica (Dublin)", "10.0.3.12", 30, false, now.minusSeconds(75), "degraded"));
            r.put("coordinator_id", "node-a");
            return r;
        });
        String[] actions = {"node.registered", "node.updated", "state.updated", "coordinator.elected", "node.updated", "daemon.started"};
        on("audit.query", p -> {
            int limit = p.path("limit").asInt(100), offset = p.path("offset").asInt(0);
            String action = p.path("action_filter").path(0).asText(null);
            Instant since = p.hasNonNull("since") ? Instant.parse(p.get("since").asText()) : null;
            java.util.List<ObjectNode> all = new java.util.ArrayList<>();
            for (int i = 0; i < 120; i++) {
                Instant at = now.minusSeconds(i * 1800L);
                String a = actions[i % actions.length];
                if ((action != null && !action.equals(a)) || (since != null && at.isBefore(since))) {
                    continue;
                }
                ObjectNode e = json().put("id", 120 - i).put("occurred_at", at.toString()).put("action", a)
                        .put("actor", i % 3 == 0 ? "steep_repl@node-a" : "steep_repl@node-b")
                        .put("target_type", a.startsWith("node") ? "node" : a.startsWith("daemon") ? "daemon" : "coordinator")
                        .put("target_id", i % 2 == 0 ? "node-b" : "node-c").put("success", i % 17 != 5);
                if (i % 17 == 5) {
                    e.put("error_message", "peer certificate names node-x, request claims node-c");
                }
                all.add(e);
            }
            ObjectNode r = json();
            ArrayNode entries = r.putArray("entries");
            all.stream().skip(offset).limit(limit).forEach(entries::add);
            r.put("total", all.size()).put("has_more", offset + limit < all.size());
            return r;
        });
        on("certs.status", p -> {
            String dir = path(p, "dir", path(p, "ca_dir", CERTS_DIR));
            ObjectNode r = json().put("dir", dir).put("exists", true);
            ObjectNode ca = report(dir + "/ca-cert.pem", "CN=steep-repl cluster CA", List.of(), 3640, FP, true);
            ObjectNode node = report(dir + "/node-cert.pem", "CN=node-a", List.of("URI:spiffe://steep-repl/node/node-a", "DNS:node-a.example", "IP:10.0.1.10"), 300, FP, false);
            r.putArray("certificates").add(ca).add(node);
            r.set("ca", ca);
            r.set("node", node);
            r.putObject("configured").put("cert_file", CERTS_DIR + "/node-cert.pem").put("key_file", CERTS_DIR + "/node-key.pem")
                    .put("ca_file", CERTS_DIR + "/ca-cert.pem");
            r.putArray("suggested_hosts").add("node-a.example").add("10.0.1.10");
            return r;
        });
        on("certs.init_ca", p -> {
            String dir = path(p, "dir", CERTS_DIR);
            if (caExists && !p.path("force").asBoolean()) {
                throw new IpcException(IpcErrorCode.ALREADY_EXISTS, "a CA already exists in " + dir + " (ca-cert.pem/ca-key.pem);"
                        + " replacing it would invalidate every node certificate it signed. Use it to issue more nodes, or pass --force to replace it");
            }
            caExists = true;
            ObjectNode r = json().put("certificate", dir + "/ca-cert.pem").put("key", dir + "/ca-key.pem");
            r.set("report", report(dir + "/ca-cert.pem", "CN=" + p.path("common_name").asText("steep-repl cluster CA"),
                    List.of(), p.path("days").asInt(3650), FP, true));
            return r;
        });
        on("certs.issue_node", p -> {
            // like the daemon's NodeCertificateIssuer: the node's SPIFFE id first, then the hosts
            List<String> sans = new java.util.ArrayList<>(List.of("URI:spiffe://steep-repl/node/" + p.path("node_id").asText("node-a")));
            p.path("hosts").forEach(h -> sans.add((h.asText().matches("[0-9.]+") ? "IP:" : "DNS:") + h.asText()));
            path(p, "ca_dir", CERTS_DIR);
            String dir = path(p, "out_dir", CERTS_DIR);
            ObjectNode r = json().put("certificate", dir + "/node-cert.pem").put("key", dir + "/node-key.pem").put("caCertificate", dir + "/ca-cert.pem");
            r.set("report", report(dir + "/node-cert.pem", "CN=" + p.path("node_id").asText("node-a"), sans, p.path("days").asInt(365), FP, false));
            return r;
        });
        on("certs.sign_csr", p -> {
            if (!p.hasNonNull("csr_file")) {
                throw new IpcException(IpcErrorCode.INVALID_PARAMS, "params.csr_file is required");
            }
            String csr = path(p, "csr_file", null);
            path(p, "ca_dir", CERTS_DIR);
            String out = path(p, "out_file", csr.replaceFirst("csr\\.pem$", "cert.pem"));
            ObjectNode r = json().put("certificate", out).put("caCertificate", CERTS_DIR + "/ca-cert.pem");
            r.set("report", report(out, "CN=node-d", List.of("URI:spiffe://steep-repl/node/node-d", "DNS:node-d.example"), 365, FP, false));
            return r;
        });
        on("extension.status", p -> extensionStatus("18.1", 180001, true, extensionInstalled ? "0.1.0" : null));
        on("extension.install", p -> {
            boolean before = extensionInstalled;
            extensionInstalled = true;
            ObjectNode r = extensionStatus("18.1", 180001, true, "0.1.0").put("action", before ? "unchanged" : "created");
            if (before) {
                r.put("previous_version", "0.1.0");
            }
            return r;
        });
        on("service.status", p -> json().put("manager", "systemd").put("scope", "user").put("installed", true).put("enabled", true)
                .put("state", "active").put("running", true).put("main_pid", 4242)
                .put("since", now.minusSeconds(93784).toString()).put("uptime_seconds", 93784).put("detail", "running"));
        on("service.install", p -> {
            String scope = p.path("mode").asText(p.path("user").asBoolean() ? "user" : "system");
            if (scope.equals("system")) {
                throw new IpcException(IpcErrorCode.PERMISSION_DENIED, "install steep-repl (systemd, system service) needs root:"
                        + " run with sudo, or use --user for a per-user service (over IPC: the daemon runs as tray-test and acts"
                        + " with its rights; pass \"user\": true for a per-user service, or run the steep-repl command with sudo on this machine)");
            }
            return serviceOperation("install", scope);
        });
        for (String m : List.of("start", "stop", "restart", "uninstall")) {
            on("service." + m, p -> serviceOperation(m, "user"));
        }
    }

    /** For screenshots.sh: serves the canned answers on the given socket until killed. */
    public static void main(String[] args) throws Exception {
        FakeDaemon d = new FakeDaemon(Path.of(args[0])).start();
        System.out.println("fake daemon listening on " + d.socket());
        Thread.currentThread().join();
    }
}
