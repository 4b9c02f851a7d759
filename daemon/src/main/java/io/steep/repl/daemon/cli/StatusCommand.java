package io.steep.repl.daemon.cli;

import io.steep.repl.daemon.service.ServiceControl;
import io.steep.repl.daemon.service.ServiceStatus;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.JsonTrees;
import io.steep.repl.ipc.client.IpcClient;
import io.steep.repl.ipc.transport.AccessPolicy;
import io.steep.repl.ipc.transport.IpcEndpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.daemon.config.ConfigException;
import io.steep.repl.daemon.config.ConfigLoader;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.lifecycle.InstanceLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * {@code steep-repl status}: is the daemon of this config running, and how is it? Running = its instance lock
 * is held (a kernel fact, not a PID guess); details come over IPC ({@code status.get} + {@code health.check}),
 * or from {@code /health} when IPC is disabled or does not answer. The service manager's view (installed,
 * active, since when) is added when a service is installed.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show whether the daemon is running and its health.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:running", "1:error (e.g. bad config)", "2:stopped, or running but not answering"})
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    SteepReplCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "print JSON for scripts")
    boolean json;

    @Option(names = "--user", description = "report the per-user service instead of the system service")
    boolean user;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConfigLoader loader = ConfigLoader.forThisProcess().forClientOf(root.config());
        DaemonConfig config;
        try {
            config = loader.load(root.config());
        } catch (ConfigException e) {
            e.problems().forEach(p -> err.println("steep-repl: " + p));
            err.flush();
            return ExitCodes.ERROR;
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("config", String.valueOf(config.source()));
        boolean running = InstanceLock.isHeld(config.audit().spoolDir());
        result.put("running", running);
        OptionalLong pid = running ? InstanceLock.ownerPid(config.audit().spoolDir()) : OptionalLong.empty();
        pid.ifPresent(p -> result.put("pid", p));
        int code;
        String human;
        if (!running) {
            code = ExitCodes.NOT_RUNNING;
            human = "steep-repl is not running (config " + config.source() + ")";
        } else if (config.ipc().enabled() && viaIpc(config, result)) {
            code = ExitCodes.OK;
            human = describe(pid, result.get("health"), result.get("status"));
        } else if (!config.http().enabled()) {
            code = ExitCodes.OK;
            human = "steep-repl is running" + pidText(pid) + "; http is disabled in the config, so no health details";
        } else {
            String host = config.http().bind().equals("0.0.0.0") || config.http().bind().equals("::") ? "127.0.0.1" : config.http().bind();
            String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + config.http().port() + "/health";
            result.put("health_url", url);
            try {
                JsonNode health = fetch(url);
                result.set("health", health);
                code = ExitCodes.OK;
                human = describe(pid, health, null);
            } catch (IOException e) {
                code = ExitCodes.NOT_RUNNING;
                result.put("error", "health endpoint " + url + " does not answer: " + e.getMessage());
                human = "steep-repl is running" + pidText(pid) + " but its health endpoint " + url + " does not answer ("
                        + e.getMessage() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.ERROR;
            }
        }
        String service = serviceLine(result);
        out.println(json ? JsonTrees.pretty(result) : human + service);
        out.flush();
        return code;
    }

    /** status.get and health.check over the daemon's IPC endpoint; false when it does not answer. */
    private boolean viaIpc(DaemonConfig config, ObjectNode result) {
        Duration timeout = Duration.ofSeconds(3);
        try (IpcClient client = IpcClient.connect(IpcEndpoint.of(config.ipc().path(), AccessPolicy.OWNER_ONLY), timeout)) {
            result.put("ipc", config.ipc().path());
            result.set("status", client.call(IpcMethods.STATUS_GET, null, timeout));
            result.set("health", client.call(IpcMethods.HEALTH_CHECK, null, timeout));
            return true;
        } catch (IOException | IpcException | RuntimeException e) {
            result.put("ipc_error", config.ipc().path() + ": " + e.getMessage());
            return false;
        }
    }

    /** The service manager's view; empty when no service is installed (a daemon run by hand is normal). */
    private String serviceLine(ObjectNode result) {
        try {
            ServiceStatus st = ServiceControl.forThisHost().status(user);
            if (!st.installed()) {
                return "";
            }
            ObjectNode s = result.putObject("service");
            s.put("manager", st.manager());
            s.put("enabled", st.enabled());
            s.put("state", st.state().name().toLowerCase(java.util.Locale.ROOT));
            st.uptime(java.time.Instant.now()).ifPresent(u -> s.put("uptime_seconds", u.toSeconds()));
            return "\nservice: " + st.manager() + ", " + (st.enabled() ? "enabled" : "not enabled") + ", "
                    + st.state().name().toLowerCase(java.util.Locale.ROOT)
                    + st.uptime(java.time.Instant.now()).map(u -> " for " + uptime(u.toSeconds())).orElse("");
        } catch (RuntimeException e) {
            return ""; // no service manager here (e.g. a container): nothing to report
        }
    }

    private JsonNode fetch(String url) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 && r.statusCode() != 503) {
                throw new IOException("HTTP " + r.statusCode());
            }
            return JsonTrees.read(r.body());
        }
    }

    private static String pidText(OptionalLong pid) {
        return pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "";
    }

    /** @param status a status.get result, or null (then node facts come from the /health document) */
    private static String describe(OptionalLong pid, JsonNode h, JsonNode status) {
        StringBuilder b = new StringBuilder();
        JsonNode facts = status != null ? status : h;
        JsonNode node = facts.path("node");
        b.append("steep-repl ").append(facts.path("version").asText()).append(" is running").append(pidText(pid))
                .append(": node ").append(node.path("node_id").asText())
                .append(" (").append(node.path("node_name").asText()).append(")")
                .append(node.path("is_coordinator").asBoolean() ? ", coordinator" : "")
                .append(node.has("cluster_size") ? ", cluster of " + node.path("cluster_size").asInt() : "")
                .append(", up ").append(uptime(facts.path("uptime_seconds").asLong())).append('\n');
        if (status != null) {
            JsonNode g = status.path("grpc");
            b.append("grpc: ").append(g.path("listening").asBoolean() ? "listening on " + g.path("port").asInt() : "not listening")
                    .append(g.path("tls_enabled").asBoolean() ? ", mutual TLS" : ", NO TLS")
                    .append(g.has("cert_days_left") ? ", certificate expires in " + g.path("cert_days_left").asLong() + " days" : "")
                    .append('\n');
        }
        b.append("status: ").append(h.path("status").asText());
        for (Iterator<Map.Entry<String, JsonNode>> it = h.path("components").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode c = e.getValue();
            b.append('\n').append(String.format("  %-11s %-4s %s", e.getKey(), c.path("healthy").asBoolean() ? "ok" : "FAIL",
                    c.path("status").asText()));
            if (c.hasNonNull("version")) b.append(", PostgreSQL ").append(c.get("version").asText());
            if (c.hasNonNull("latency_ms")) b.append(", ").append(c.get("latency_ms").asLong()).append(" ms");
            if (c.hasNonNull("port")) b.append(", port ").append(c.get("port").asInt());
            if (c.hasNonNull("error")) b.append(" — ").append(c.get("error").asText());
            if (c.hasNonNull("message")) b.append(" — ").append(c.get("message").asText());
        }
        return b.toString();
    }

    private static String uptime(long s) {
        Duration d = Duration.ofSeconds(s);
        return d.toDays() > 0 ? d.toDays() + "d " + d.toHoursPart() + "h"
                : d.toHours() > 0 ? d.toHours() + "h " + d.toMinutesPart() + "m"
                : d.toMinutes() > 0 ? d.toMinutes() + "m " + d.toSecondsPart() + "s" : s + "s";
    }
}
