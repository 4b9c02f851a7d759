package io.steep.repl.ipc.transport;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.IOException;
import java.nio.file.Path;

/**
 * chmod/chown of a socket file by path. The JDK's attribute views open the file to fchmod it, and opening a
 * socket file fails (ENXIO), so the libc calls are made directly through JNA.
 */
final class SocketFileModes {

    interface LibC extends Library {
        int chmod(String path, int mode);

        int chown(String path, int uid, int gid);

        int umask(int mask);
    }

    private static final Object UMASK_LOCK = new Object();

    private static final class Holder {
        static final LibC C = Native.load("c", LibC.class);
    }

    private SocketFileModes() {
    }

    /**
     * Binds with a temporary process umask. The umask is process-wide, so other threads creating files in this
     * instant get modes at most this strict — never looser.
     */
    static void bindWithUmask(org.newsclub.net.unix.AFUNIXServerSocket server, org.newsclub.net.unix.AFUNIXSocketAddress address, int mask)
            throws IOException {
        synchronized (UMASK_LOCK) {
            int old = Holder.C.umask(mask);
            try {
                server.bind(address, 128);
            } finally {
                Holder.C.umask(old);
            }
        }
    }

    static void chmod(Path file, int mode) throws IOException {
        if (Holder.C.chmod(file.toString(), mode) != 0) {
            throw new IOException("chmod " + Integer.toOctalString(mode) + " " + file + " failed (errno " + Native.getLastError() + ")");
        }
    }

    static void chown(Path file, long uid, long gid) throws IOException {
        if (Holder.C.chown(file.toString(), (int) uid, (int) gid) != 0) {
            throw new IOException("chown " + file + " to gid " + gid + " failed (errno " + Native.getLastError()
                    + "); the daemon's user must be a member of ipc.allowed_group, or the daemon must run as root");
        }
    }
}
