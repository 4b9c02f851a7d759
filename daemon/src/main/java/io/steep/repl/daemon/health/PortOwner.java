package io.steep.repl.daemon.health;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Best effort "who has this TCP port?" for the port-taken message, Linux only: the listening socket's inode from
 * /proc/net/tcp{,6}, then the process whose fd points at it. Finds only processes this user may inspect; empty
 * otherwise (the message then just names the port).
 */
public final class PortOwner {

    private PortOwner() {
    }

    public static Optional<String> describe(int port) {
        try {
            Optional<String> inode = listeningInode(port);
            if (inode.isEmpty()) {
                return Optional.empty();
            }
            String target = "socket:[" + inode.get() + "]";
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
                for (Path proc : procs) {
                    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                        for (Path fd : fds) {
                            try {
                                if (Files.readSymbolicLink(fd).toString().equals(target)) {
                                    String pid = proc.getFileName().toString();
                                    String comm = Files.readString(proc.resolve("comm")).strip();
                                    return Optional.of("pid " + pid + " (" + comm + ")");
                                }
                            } catch (IOException ignored) {
                                // fd closed meanwhile
                            }
                        }
                    } catch (IOException | SecurityException ignored) {
                        // not ours to inspect
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static Optional<String> listeningInode(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.strip().split("\\s+");
                if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                    return Optional.of(f[9]);
                }
            }
        }
        return Optional.empty();
    }
}
