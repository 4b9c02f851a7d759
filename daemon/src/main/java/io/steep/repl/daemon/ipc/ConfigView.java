package io.steep.repl.daemon.ipc;

import io.steep.repl.daemon.config.DaemonConfig;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The effective configuration as {@code config.get} shows it: upstream's {@code repl:} layout and key names, paths
 * as plain strings, durations in the config file's own form. The PostgreSQL password is never included (only
 * whether one is set); {@link ConfigGetMethod} redacts secret-named keys again on top.
 */
final class ConfigView {

    private ConfigView() {
    }

    static Map<String, Object> of(DaemonConfig c) {
        Map<String, Object> repl = new LinkedHashMap<>();
        repl.put("config_file", str(c.source()));
        repl.put("node_id", c.nodeId());
        repl.put("node_name", c.nodeName());
        repl.put("priority", c.priority());
        DaemonConfig.Postgres pg = c.postgresql();
        Map<String, Object> postgresql = new LinkedHashMap<>();
        postgresql.put("host", pg.host());
        postgresql.put("port", pg.port());
        postgresql.put("database", pg.database());
        postgresql.put("user", pg.user());
        postgresql.put("password_set", !pg.password().isEmpty());
        // the helper's program is configuration, its arguments may hold a secret path or token: show the program only
        postgresql.put("password_command", pg.passwordCommand().isEmpty() ? null : pg.passwordCommand().getFirst() + " …");
        postgresql.put("sslmode", pg.sslmode());
        postgresql.put("pool_size", pg.poolSize());
        repl.put("postgresql", postgresql);
        DaemonConfig.Tls tls = c.grpc().tls();
        repl.put("grpc", map("enabled", c.grpc().enabled(), "bind", c.grpc().bind(), "port", c.grpc().port(),
                "advertise_host", c.grpc().advertiseHost().orElse(null),
                "tls", map("cert_file", opt(tls.certFile()), "key_file", opt(tls.keyFile()), "ca_file", opt(tls.caFile()),
                        "insecure", tls.insecure())));
        repl.put("http", map("enabled", c.http().enabled(), "bind", c.http().bind(), "port", c.http().port()));
        repl.put("ipc", map("enabled", c.ipc().enabled(), "path", c.ipc().path(), "allowed_group", c.ipc().allowedGroup().orElse(null)));
        repl.put("cluster", map("peers", c.cluster().peers().stream().map(Object::toString).toList(),
                "heartbeat_interval", io.steep.repl.daemon.config.Durations.format(c.cluster().heartbeatInterval()),
                "unreachable_after", c.cluster().unreachableAfter(),
                "degraded_after", c.cluster().degradedAfter().map(io.steep.repl.daemon.config.Durations::format).orElse(null)));
        repl.put("audit", map("retention", io.steep.repl.daemon.config.Durations.format(c.audit().retention()),
                "spool_dir", str(c.audit().spoolDir())));
        repl.put("logging", map("level", c.logging().level(), "file", opt(c.logging().file())));
        return Map.of("repl", repl);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String opt(Optional<Path> p) {
        return p.map(Path::toString).orElse(null);
    }

    private static String str(Path p) {
        return p == null ? null : p.toString();
    }
}
