package io.steep.repl.daemon.net;

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

    /**
     * What to tell the user when {@code host:port} cannot be bound: taken (by whom, when that can be found) and the
     * port setting to change, or not an address of this machine and the bind setting to change.
     *
     * @param what    "HTTP", "gRPC"
     * @param section the config section, e.g. {@code http} for {@code repl.http.port} and {@code repl.http.bind}
     * @param e       the bind failure (a {@link java.net.BindException}, or what wraps one)
     * @param defaultBind the bind setting's default, named in the advice
     */
    public static String bindFailure(String what, String section, String host, int port, Throwable e, String defaultBind) {
        // gRPC wraps the failure ("Failed to bind to address …"); the innermost cause says why (a BindException,
        // or with the epoll transport Netty's "bind(..) failed: Address already in use")
        Throwable why = e;
        while (why.getCause() != null && why.getCause() != why) {
            why = why.getCause();
        }
        String reason = String.valueOf(why.getMessage());
        String lower = reason.toLowerCase(Locale.ROOT);
        // the OS's reason decides; a listener found on the port only counts when the reason does not say the
        // address is not this machine's (someone may listen on that port on another address)
        boolean notLocal = lower.contains("assign");
        Optional<String> owner = notLocal ? Optional.empty() : describe(port);
        if (lower.contains("in use") || owner.isPresent()) {
            return what + " port " + host + ":" + port + " is already in use" + owner.map(o -> " by " + o).orElse("")
                    + " (" + reason + "); set repl." + section + ".port to a free port or stop that process";
        }
        // e.g. "Cannot assign requested address": the bind address is not one of this machine's
        return "cannot listen for " + what + " on " + host + ":" + port + " (" + reason + "); set repl." + section
                + ".bind to an address of this machine (default " + defaultBind + ")";
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
