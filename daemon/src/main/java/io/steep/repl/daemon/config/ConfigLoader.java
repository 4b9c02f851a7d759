package io.steep.repl.daemon.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds, reads and validates config.yaml. Everything wrong with a file is reported before anything starts,
 * one line per problem naming the file, the line, the key and what is expected.
 *
 * <p>Only the {@code repl:} section is ours and checked strictly (unknown keys are errors). Other top-level
 * sections are left alone: upstream steep keeps its TUI settings in the same config.yaml.
 */
public final class ConfigLoader {

    public static final String CONFIG_ENV = "STEEP_REPL_CONFIG";
    static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error");

    private final PlatformPaths paths;
    private final Map<String, String> env;
    private final boolean service;

    public ConfigLoader(PlatformPaths paths, Map<String, String> env, boolean service) {
        this.paths = paths;
        this.env = env;
        this.service = service;
    }

    /** The loader for this process: real environment, service mode when running as root / SYSTEM. */
    public static ConfigLoader forThisProcess() {
        return new ConfigLoader(PlatformPaths.current(), System.getenv(), runsAsService());
    }

    /**
     * For commands that talk to a running daemon ({@code status}): as root without a system config, a daemon
     * started by hand with user paths (e.g. the developer main job) is the one meant, so its config is used.
     */
    public ConfigLoader forClientOf(Path cliConfig) {
        String fromEnv = env.get(CONFIG_ENV);
        if (service && cliConfig == null && (fromEnv == null || fromEnv.isBlank())
                && !Files.exists(paths.configFile(true)) && Files.exists(paths.configFile(false))) {
            return new ConfigLoader(paths, env, false);
        }
        return this;
    }

    /**
     * System-wide (service) paths are used when the process runs as root, or when {@code STEEP_REPL_SERVICE} is
     * set (the Windows service and launchd daemon set it; a Windows SYSTEM account cannot be told by name).
     */
    public static boolean runsAsService() {
        String flag = System.getenv("STEEP_REPL_SERVICE");
        if (flag != null && !flag.isBlank() && !flag.equals("0")) {
            return true;
        }
        return PlatformPaths.Os.current() != PlatformPaths.Os.WINDOWS && "root".equals(System.getProperty("user.name"));
    }

    public boolean service() {
        return service;
    }

    public PlatformPaths paths() {
        return paths;
    }

    /** {@code --config}, else {@code $STEEP_REPL_CONFIG}, else the platform's config file. */
    public Path locate(Path cliConfig) {
        if (cliConfig != null) {
            return cliConfig.toAbsolutePath();
        }
        String fromEnv = env.get(CONFIG_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv).toAbsolutePath();
        }
        return paths.configFile(service);
    }

    public DaemonConfig load(Path cliConfig) throws ConfigException {
        return load(locate(cliConfig), true);
    }

    /**
     * For commands that take defaults from a node's config ({@code tls}, {@code health --remote}): the config
     * {@link #load(Path)} would read, or empty when none is named (neither {@code --config} nor
     * {@code $STEEP_REPL_CONFIG}) and the platform's file does not exist yet (a CA host, a node not set up). A named
     * file that is missing, or a config that cannot be read, is an error, not a reason to use other defaults.
     */
    public Optional<DaemonConfig> loadIfPresent(Path cliConfig) throws ConfigException {
        String fromEnv = env.get(CONFIG_ENV);
        boolean named = cliConfig != null || (fromEnv != null && !fromEnv.isBlank());
        if (!named && !Files.exists(locate(null))) {
            return Optional.empty();
        }
        return Optional.of(load(cliConfig));
    }

    /** Reads {@code file}; {@code applyEnv}: apply the PG* overrides (false to show the file's own values). */
    public DaemonConfig load(Path file, boolean applyEnv) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file. Create it (see docs/config.md), point --config or "
                    + CONFIG_ENV + " at one, or try 'steep-repl run --embedded-postgres' for a development setup.");
        } catch (MalformedInputException e) {
            throw new ConfigException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(file, text, applyEnv);
    }

    DaemonConfig parse(Path file, String text, boolean applyEnv) throws ConfigException {
        String name = file.toString();
        Node root;
        try (Reader r = new java.io.StringReader(text)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(new SafeConstructor(options)).compose(r);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(name + ":" + line + ": not valid YAML: " + e.getProblem());
        } catch (YAMLException | IOException e) {
            throw new ConfigException(name + ":1: not valid YAML: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        YamlSection top = new YamlSection(name, "", root, root, problems);
        if (!top.has("repl")) {
            throw new ConfigException(name + ":1: repl: required section missing (the daemon's settings live under 'repl:', see docs/config.md)");
        }
        YamlSection repl = top.section("repl");
        DaemonConfig config = read(file, repl, problems);
        if (!problems.isEmpty()) {
            // report in file order, the way an editor shows them
            int prefix = name.length() + 1;
            problems.sort(java.util.Comparator.comparingInt(p -> Integer.parseInt(p.substring(prefix, p.indexOf(':', prefix)))));
            throw new ConfigException(problems);
        }
        return applyEnv ? applyEnvironment(config) : config;
    }

    private DaemonConfig read(Path file, YamlSection repl, List<String> problems) {
        Path base = file.toAbsolutePath().getParent();
        repl.bool("enabled", true); // upstream's switch; accepted so upstream files stay valid
        Optional<String> nodeId = repl.optString("node_id");
        if (nodeId.isEmpty()) {
            repl.problemHere("node_id", "required: this node's unique id, e.g. node_id: node-a");
        } else if (!NODE_ID.matcher(nodeId.get()).matches()) {
            repl.problemHere("node_id", "expected 1-63 letters, digits, '.', '_' or '-' starting with a letter or digit, got "
                    + YamlSection.quote(nodeId.get()));
        }
        String id = nodeId.orElse("invalid");
        String nodeName = repl.string("node_name", id);
        int priority = repl.integer("priority", 1, 100, 50);

        YamlSection pg = repl.section("postgresql");
        String defaultUser = Optional.ofNullable(env.get("USER")).filter(u -> !u.isBlank()).orElse("postgres");
        DaemonConfig.Postgres postgres = new DaemonConfig.Postgres(
                pg.string("host", "localhost"),
                pg.integer("port", 1, 65535, 5432),
                pg.string("database", "postgres"),
                pg.string("user", defaultUser),
                "",
                pg.stringList("password_command", "a command as a list of arguments or a string (run without a shell)",
                        true, v -> v.isEmpty() ? "empty argument" : null).orElse(List.of()),
                pg.oneOf("sslmode", SSL_MODES, v -> v).orElse("prefer"),
                pg.integer("pool_size", 1, 100, 4));
        if (pg.has("password")) {
            pg.problemHere("password", "not supported: keep secrets out of the file; use password_command, PGPASSWORD or ~/.pgpass");
        }
        pg.handled("password");
        pg.rejectUnknown("known: host, port, database, user, password_command, sslmode, pool_size");

        YamlSection grpc = repl.section("grpc");
        YamlSection tls = grpc.section("tls");
        DaemonConfig.Tls tlsConfig = new DaemonConfig.Tls(
                tls.optString("cert_file").map(p -> resolve(base, p)),
                tls.optString("key_file").map(p -> resolve(base, p)),
                tls.optString("ca_file").map(p -> resolve(base, p)),
                tls.bool("insecure", false));
        tls.rejectUnknown("known: cert_file, key_file, ca_file, insecure");
        DaemonConfig.Grpc grpcConfig = new DaemonConfig.Grpc(
                grpc.bool("enabled", true),
                grpc.string("bind", "0.0.0.0"),
                grpc.integer("port", 1, 65535, 5433),
                grpc.optString("advertise_host"),
                tlsConfig);
        grpc.rejectUnknown("known: enabled, bind, port, advertise_host, tls");

        YamlSection http = repl.section("http");
        DaemonConfig.Http httpConfig = new DaemonConfig.Http(
                http.bool("enabled", true), http.string("bind", "127.0.0.1"), http.integer("port", 1, 65535, 8080));
        http.rejectUnknown("known: enabled, bind, port");

        YamlSection ipc = repl.section("ipc");
        DaemonConfig.Ipc ipcConfig = new DaemonConfig.Ipc(
                ipc.bool("enabled", true), ipc.string("path", paths.ipcEndpoint(service)), ipc.optString("allowed_group"));
        ipc.rejectUnknown("known: enabled, path, allowed_group");

        YamlSection cluster = repl.section("cluster");
        List<DaemonConfig.HostPort> peers = cluster.stringList("peers", "a list of host:port", false,
                v -> parseHostPort(v) == null ? "not host:port with a port 1..65535" : null)
                .orElse(List.of()).stream().map(ConfigLoader::parseHostPort).toList();
        Duration heartbeat = cluster.duration("heartbeat_interval", Duration.ofMillis(50), Duration.ofSeconds(1));
        if (heartbeat.compareTo(Duration.ofMinutes(5)) > 0) {
            cluster.problemHere("heartbeat_interval", "expected at most 5m, got " + Durations.format(heartbeat));
        }
        // upstream's rule: a peer is unreachable after this many consecutive missed heartbeats
        int unreachable = cluster.integer("unreachable_after", 1, 1000, 3);
        Optional<Duration> degraded = cluster.has("degraded_after")
                ? Optional.of(cluster.duration("degraded_after", Duration.ofMillis(1), Duration.ofNanos(heartbeat.toNanos() / 2))) // parsed: fits in long nanoseconds
                : Optional.empty();
        if (degraded.isPresent() && degraded.get().compareTo(heartbeat) > 0) {
            cluster.problemHere("degraded_after", "expected at most heartbeat_interval (" + Durations.format(heartbeat)
                    + "), got " + Durations.format(degraded.get()));
        }
        cluster.rejectUnknown("known: peers, heartbeat_interval, unreachable_after, degraded_after");

        YamlSection audit = repl.section("audit");
        DaemonConfig.Audit auditConfig = new DaemonConfig.Audit(
                audit.duration("retention", Duration.ofHours(1), Duration.ofHours(17520)),
                audit.optString("spool_dir").map(p -> resolve(base, p)).orElse(paths.dataDir(service).resolve("spool")));
        audit.rejectUnknown("known: retention, spool_dir");

        YamlSection logging = repl.section("logging");
        DaemonConfig.Logging loggingConfig = new DaemonConfig.Logging(
                logging.oneOf("level", LEVELS, v -> v).orElse("info"),
                logging.optString("file").map(p -> resolve(base, p)));
        logging.rejectUnknown("known: level, file");

        repl.rejectUnknown("known: enabled, node_id, node_name, priority, postgresql, grpc, http, ipc, cluster, audit, logging");
        return new DaemonConfig(file.toAbsolutePath(), id, nodeName, priority, postgres, grpcConfig, httpConfig,
                ipcConfig, new DaemonConfig.Cluster(peers, heartbeat, unreachable, degraded), auditConfig, loggingConfig);
    }

    /** PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD PGSSLMODE override the file, like every libpq client. */
    DaemonConfig applyEnvironment(DaemonConfig c) throws ConfigException {
        DaemonConfig.Postgres p = c.postgresql();
        List<String> problems = new ArrayList<>();
        String host = envOr("PGHOST", p.host());
        int port = p.port();
        String rawPort = env.get("PGPORT");
        if (rawPort != null && !rawPort.isBlank()) {
            try {
                port = Integer.parseInt(rawPort.strip());
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.add("environment PGPORT: expected an integer 1..65535, got " + YamlSection.quote(rawPort));
            }
        }
        String sslmode = envOr("PGSSLMODE", p.sslmode());
        if (!SSL_MODES.contains(sslmode)) {
            problems.add("environment PGSSLMODE: expected one of " + String.join(", ", SSL_MODES) + ", got " + YamlSection.quote(sslmode));
        }
        String password = env.getOrDefault("PGPASSWORD", "");
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        DaemonConfig.Postgres merged = new DaemonConfig.Postgres(host, port, envOr("PGDATABASE", p.database()),
                envOr("PGUSER", p.user()), password, p.passwordCommand(), sslmode, p.poolSize());
        return new DaemonConfig(c.source(), c.nodeId(), c.nodeName(), c.priority(), merged, c.grpc(), c.http(), c.ipc(),
                c.cluster(), c.audit(), c.logging());
    }

    private String envOr(String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private Path resolve(Path base, String p) {
        if (p.equals("~") || p.startsWith("~/")) {
            return paths.home().resolve(p.length() <= 2 ? "" : p.substring(2));
        }
        Path path = Path.of(p);
        return path.isAbsolute() || base == null ? path : base.resolve(path).normalize();
    }

    /** {@code host:port}, {@code [v6]:port}; null when malformed. */
    public static DaemonConfig.HostPort parseHostPort(String v) {
        String s = v.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf("]:");
            if (close < 0) {
                return null;
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || s.indexOf(':') != colon) {
                return null;
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        try {
            int p = Integer.parseInt(port);
            return host.isBlank() || p < 1 || p > 65535 ? null : new DaemonConfig.HostPort(host.toLowerCase(Locale.ROOT), p);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
