package io.steep.repl.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The IPC address a test gives the daemon for a socket path in its temp dir. On Linux/macOS that is the path
 * itself (a unix socket). On Windows the daemon only listens on named pipes ({@code \\.\pipe\<name>}, see
 * PipeSecurity.pipePath), so the path is mapped to a pipe name derived from it: server and client that start from
 * the same path meet on the same pipe, and two tests with different temp dirs never share one.
 */
public final class IpcAddress {

    private IpcAddress() {
    }

    public static String of(Path socket) {
        return of(socket, System.getProperty("os.name", ""));
    }

    public static String of(Path socket, String osName) {
        if (!osName.startsWith("Windows")) {
            return socket.toString();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(socket.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
            return "\\\\.\\pipe\\steep-test-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
