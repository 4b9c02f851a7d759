package io.steep.repl.daemon.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The daemon's configuration: the {@code repl:} section of config.yaml, validated, with defaults and the
 * {@code PG*} environment overrides applied. Built only by {@link ConfigLoader}; every value here is known good.
 *
 * @param source the file it was read from (null for a configuration built in code, e.g. tests)
 */
public record DaemonConfig(
        Path source,
        String nodeId,
        String nodeName,
        int priority,
        Postgres postgresql,
        Grpc grpc,
        Http http,
        Ipc ipc,
        Cluster cluster,
        Audit audit,
        Logging logging) {

    /**
     * @param password        from PGPASSWORD (the file has no password key on purpose); empty if none
     * @param passwordCommand argv of the credential helper; empty if none
     */
    public record Postgres(String host, int port, String database, String user, String password,
                           List<String> passwordCommand, String sslmode, int poolSize) {
        /** Never print the password. */
        @Override
        public String toString() {
            return "Postgres[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                    + ", password=" + (password.isEmpty() ? "<none>" : "<redacted>")
                    + ", passwordCommand=" + (passwordCommand.isEmpty() ? "<none>" : passwordCommand.getFirst() + " …")
                    + ", sslmode=" + sslmode + ", poolSize=" + poolSize + "]";
        }
    }

    public record Tls(Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> caFile, boolean insecure) {
    }

    /** @param advertiseHost the address peers should dial for this node; empty = derive from bind/hostname */
    public record Grpc(boolean enabled, String bind, int port, Optional<String> advertiseHost, Tls tls) {
    }

    public record Http(boolean enabled, String bind, int port) {
    }

    /** @param path the socket path / pipe name; allowedGroup: members of this OS group may connect */
    public record Ipc(boolean enabled, String path, Optional<String> allowedGroup) {
    }

    /** @param peers {@code host:port} of the other nodes' gRPC endpoints */
    public record Cluster(List<HostPort> peers, Duration heartbeatInterval, Duration unreachableAfter) {
    }

    public record Audit(Duration retention, Path spoolDir) {
    }

    /** @param file rotating log file; empty = no file log */
    public record Logging(String level, Optional<Path> file) {
    }

    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** The actor recorded on this node's audit rows and session setting {@code steep_repl.actor}. */
    public String actor() {
        return postgresql.user() + "@" + nodeId;
    }
}
