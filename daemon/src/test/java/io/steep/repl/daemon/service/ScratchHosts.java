package io.steep.repl.daemon.service;

import io.steep.repl.daemon.config.PlatformPaths.Os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Hosts over a scratch root directory, and helpers to look at what was written there. */
final class ScratchHosts {

    private ScratchHosts() {
    }

    static ServiceHost linux(Path root, RecordingRunner runner) {
        return new ServiceHost(Os.LINUX, root, "/home/alice", Map.of("USER", "alice"), runner,
                Optional.empty(), Optional.empty(), false);
    }

    static ServiceHost macos(Path root, RecordingRunner runner) {
        return new ServiceHost(Os.MACOS, root, "/Users/alice", Map.of("USER", "alice"), runner,
                Optional.empty(), Optional.empty(), false);
    }

    static ServiceHost windows(Path root, RecordingRunner runner) {
        return new ServiceHost(Os.WINDOWS, root, "C:\\Users\\alice",
                Map.of("USERNAME", "alice", "ProgramData", "C:\\ProgramData", "APPDATA", "C:\\Users\\alice\\AppData\\Roaming"),
                runner, Optional.empty(), Optional.empty(), false);
    }

    /** An executable file at {@code osPath} under the host's root. */
    static void executable(ServiceHost host, String osPath) throws IOException {
        Path p = host.file(osPath);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\nexit 0\n");
        if (io.steep.repl.daemon.PosixModes.supported(p)) { // Windows has no mode bits: any file runs
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    static void directory(ServiceHost host, String osPath) throws IOException {
        Files.createDirectories(host.file(osPath));
    }

    /** Every regular file and directory under {@code root}, relative, sorted: a snapshot to compare. */
    static List<String> tree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
