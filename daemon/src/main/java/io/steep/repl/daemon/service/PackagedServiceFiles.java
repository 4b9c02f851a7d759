package io.steep.repl.daemon.service;

import io.steep.repl.daemon.config.PlatformPaths.Os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

/**
 * Writes the service files the Linux package ships, rendered by the same code as {@code steep-repl install}, so
 * the DEB and the CLI can never disagree about the unit or the account. Not a user command: the installers'
 * build runs it as {@code java -cp <daemon jars> io.steep.repl.daemon.service.PackagedServiceFiles <dir>}.
 */
public final class PackagedServiceFiles {

    /** The system config file the packaged unit runs with. */
    public static final String PACKAGE_CONFIG = "/etc/steep/config.yaml";

    private PackagedServiceFiles() {
    }

    /** Writes {@code steep-repl.service} and {@code steep-repl.sysusers} into {@code dir} (created if missing). */
    public static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        SystemdUnit unit = new SystemdUnit(ServiceScope.SYSTEM, Launcher.packageDefault(Os.LINUX), PACKAGE_CONFIG,
                new LinkedHashMap<>()); // the package's launcher bundles its runtime: no JAVA_HOME
        Files.writeString(dir.resolve(SystemdUnit.UNIT_NAME), unit.render(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("steep-repl.sysusers"), SystemdUnit.sysusers(), StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: PackagedServiceFiles OUTPUT_DIR (writes the DEB's systemd unit and sysusers file)");
            System.exit(64);
        }
        write(Path.of(args[0]));
    }
}
