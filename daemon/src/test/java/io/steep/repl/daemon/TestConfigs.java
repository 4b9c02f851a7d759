package io.steep.repl.daemon;

import io.steep.repl.testing.IpcAddress;
import io.steep.repl.daemon.config.ConfigLoader;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.config.PlatformPaths;
import io.steep.repl.testing.PgServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Writes a real config.yaml for a test daemon pointed at the test's PostgreSQL and loads it the normal way. */
public final class TestConfigs {

    private TestConfigs() {
    }

    public static Path write(Path dir, PgServer pg, String database, String extraRepl) throws IOException {
        Files.createDirectories(dir);
        String yaml = """
                repl:
                  node_id: test-node
                  node_name: Test Node
                  postgresql:
                    host: %s
                    port: %d
                    database: %s
                    user: %s
                    sslmode: disable
                    pool_size: 3
                  http:
                    port: %d
                  ipc:
                    path: %s
                  audit:
                    spool_dir: %s
                %s
                """.formatted(pg.host(), pg.port(), database, pg.superuser(), freePort(), IpcAddress.of(dir.resolve("ipc.sock")),
                dir.resolve("spool"), extra(extraRepl));
        Path f = dir.resolve("config.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /** gRPC is off unless the test configures it: most daemon tests are about one node and need no TLS files. */
    private static String extra(String extraRepl) {
        String extra = extraRepl == null ? "" : extraRepl;
        if (!extra.contains("grpc:")) {
            extra = extra + "grpc:\n  enabled: false\n";
        }
        return extra.indent(2);
    }

    /** Rewrites the http port of a file made by {@link #write}. */
    public static Path withHttpPort(Path file, int port) throws IOException {
        Files.writeString(file, Files.readString(file).replaceFirst("(?m)^(  http:\n    port: )\\d+", "$1" + port));
        return file;
    }

    public static DaemonConfig load(Path file, Map<String, String> env) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        return new ConfigLoader(new PlatformPaths(PlatformPaths.Os.LINUX, e, file.getParent().resolve("home")), e, false)
                .load(file, true);
    }

    public static DaemonConfig config(Path dir, PgServer pg, String database) throws Exception {
        return load(write(dir, pg, database, null), Map.of());
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
