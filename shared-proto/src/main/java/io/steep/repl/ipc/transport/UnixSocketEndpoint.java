package io.steep.repl.ipc.transport;

import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * A unix domain socket endpoint (junixsocket, for peer credentials).
 *
 * <p>Claiming the path, in order: (1) the directory is created private (0700, or 0750 owned by the allowed
 * group) — an existing dedicated {@code steep-repl} directory is tightened the same way, any other existing
 * directory is left alone but refused when others may write to it without the sticky bit; (2) a live socket at
 * the path means another daemon → {@link EndpointInUseException}; (3) an exclusive lock on {@code <path>.lock}
 * keeps two daemons that start at once from both passing (2); (4) a dead socket is removed, anything else
 * (regular file, symlink, directory) is refused; (5) the socket is bound under umask 0177, so bind(2) creates it
 * 0600 — only then is it given the allowed group and 0660. No client that is not root or the daemon's user can
 * reach it before its final modes are set, whatever the process umask was. (Binding elsewhere and renaming the
 * file into place would be neater, but junixsocket closes a server whose socket file has moved.)
 *
 * <p>Modes are a first fence; the real check is the peer's credentials, read on every accept.
 */
public final class UnixSocketEndpoint implements IpcEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(UnixSocketEndpoint.class);
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final String DEDICATED_DIR = "steep-repl";

    private final Path path;
    private final AccessPolicy policy;

    private UnixSocketEndpoint(Path path, AccessPolicy policy) {
        this.path = path;
        this.policy = policy;
    }

    public static UnixSocketEndpoint of(String path, AccessPolicy policy) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("ipc.path is empty; set it to a socket path such as /run/steep-repl/steep-repl.sock");
        }
        Path p = Path.of(path).toAbsolutePath().normalize();
        // sun_path is 108 bytes on Linux (104 on macOS), terminator included
        if (p.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 103) {
            throw new IllegalArgumentException("ipc.path " + p + " is too long for a unix socket (at most 103 bytes); choose a shorter path");
        }
        return new UnixSocketEndpoint(p, policy);
    }

    public Path path() {
        return path;
    }

    @Override
    public String address() {
        return path.toString();
    }

    // ------------------------------------------------------------------------------------------ server side

    @Override
    public IpcListener listen() throws IOException {
        Path dir = path.getParent();
        GroupPrincipal group = lookupGroup();
        prepareDirectory(dir, group);
        refuseIfLive();
        FileChannel lockChannel = null;
        FileLock lock = null;
        AFUNIXServerSocket server = null;
        boolean ok = false;
        try {
            Path lockPath = path.resolveSibling(path.getFileName() + ".lock");
            lockChannel = FileChannel.open(lockPath, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new EndpointInUseException("another steep-repl daemon is starting or running on " + path
                        + " (it holds " + lockPath + "); stop it first, or set ipc.path to another path");
            }
            removeStale();

            long ownUid = ((Number) Files.getAttribute(lockPath, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
            server = AFUNIXServerSocket.newInstance();
            server.setDeleteOnClose(false); // close() removes the path itself, and only if it is still our socket
            // bind(2) creates the socket file with 0777 & ~umask: with umask 0177 it is born 0600, so nobody but
            // us (and root) can connect before the final group and mode are set below
            SocketFileModes.bindWithUmask(server, AFUNIXSocketAddress.of(path), 0177);
            long allowedGid = -1;
            if (group != null) {
                allowedGid = ((Number) Files.getAttribute(dir, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue();
                if (!group.equals(Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group())) {
                    // a shared directory we did not set up: learn the gid from the lock file instead
                    setGroup(Files.getFileAttributeView(lockPath, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS), group, lockPath);
                    allowedGid = ((Number) Files.getAttribute(lockPath, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue();
                }
                SocketFileModes.chown(path, -1, allowedGid);
                SocketFileModes.chmod(path, 0660);
            } else {
                SocketFileModes.chmod(path, 0600);
            }
            Object inode = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            LOG.info("IPC listening on {} (mode {}, admits root, uid {}{})", path, group != null ? "0660" : "0600", ownUid,
                    group != null ? " and group " + group.getName() + " (gid " + allowedGid + ")" : "");
            ok = true;
            return new Listener(server, path, inode, lockChannel, ownUid, allowedGid, policy.allowedGroup().orElse(null));
        } finally {
            if (!ok) {
                if (server != null) {
                    closeQuietly(server);
                    try {
                        if (isSocket(path)) {
                            Files.deleteIfExists(path);
                        }
                    } catch (IOException ignored) {
                        // we failed before finishing; the next start treats it as stale
                    }
                }
                closeQuietly(lockChannel);
            }
        }
    }

    private GroupPrincipal lookupGroup() throws IOException {
        if (policy.allowedGroup().isEmpty()) {
            return null;
        }
        String name = policy.allowedGroup().get();
        try {
            return path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
        } catch (UserPrincipalNotFoundException e) {
            throw new EndpointRefusedException("ipc.allowed_group '" + name + "' does not exist on this system; "
                    + "create it (e.g. groupadd " + name + ") or correct ipc.allowed_group", e);
        }
    }

    private static void setGroup(PosixFileAttributeView view, GroupPrincipal group, Path file) throws IOException {
        try {
            view.setGroup(group);
        } catch (FileSystemException e) {
            throw new EndpointRefusedException("cannot give " + file + " to group '" + group.getName()
                    + "': the daemon's user must be a member of that group (or the daemon must run as root). " + e.getMessage(), e);
        }
    }

    private void prepareDirectory(Path dir, GroupPrincipal group) throws IOException {
        Set<PosixFilePermission> wanted = PosixFilePermissions.fromString(group != null ? "rwxr-x---" : "rwx------");
        if (Files.notExists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path grand = dir.getParent();
            if (grand != null) {
                Files.createDirectories(grand);
            }
            try {
                // created 0700 (the umask can only remove bits); widened to 0750 only after the group is set
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                prepareDirectory(dir, group);
                return;
            }
            applyDirectoryModes(dir, group, wanted);
            return;
        }
        if (Files.isSymbolicLink(dir)) {
            throw new EndpointRefusedException("the IPC directory " + dir + " is a symbolic link; steep-repl will not place "
                    + "its socket behind a link someone else may redirect. Use the real directory in ipc.path");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new EndpointRefusedException("the IPC directory " + dir + " exists but is not a directory; remove it or change ipc.path");
        }
        PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int mode = ((Number) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
        boolean sticky = (mode & 01000) != 0;
        boolean othersWrite = attrs.permissions().contains(PosixFilePermission.OTHERS_WRITE)
                || attrs.permissions().contains(PosixFilePermission.GROUP_WRITE);
        if (dir.getFileName() != null && dir.getFileName().toString().equals(DEDICATED_DIR)) {
            // our own directory (created by us earlier, by systemd's RuntimeDirectory, or by the installer)
            applyDirectoryModes(dir, group, wanted);
        } else if (othersWrite && !sticky) {
            throw new EndpointRefusedException("the IPC directory " + dir + " is writable by others without the sticky bit "
                    + "(mode " + Integer.toOctalString(mode & 07777) + "), so anyone could replace the socket; "
                    + "use a private directory in ipc.path (e.g. /run/steep-repl/steep-repl.sock)");
        }
    }

    private static void applyDirectoryModes(Path dir, GroupPrincipal group, Set<PosixFilePermission> wanted) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        try {
            if (group != null) {
                view.setGroup(group);
            }
            view.setPermissions(wanted);
        } catch (FileSystemException e) {
            throw new EndpointRefusedException("cannot make the IPC directory " + dir + " private ("
                    + PosixFilePermissions.toString(wanted) + (group != null ? ", group " + group.getName() : "") + "): "
                    + e.getMessage() + ". The daemon's user must own it"
                    + (group != null ? " and be a member of " + group.getName() : ""), e);
        }
    }

    /** A socket at the path that answers means another daemon: never take its place. */
    private void refuseIfLive() throws IOException {
        if (isSocket(path) && answers(path)) {
            throw new EndpointInUseException("another steep-repl daemon is already listening on " + path
                    + "; stop it first (steep-repl stop, or systemctl stop steep-repl), or set ipc.path to another path");
        }
    }

    private void removeStale() throws IOException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (a.isSymbolicLink()) {
            throw new EndpointRefusedException(path + " is a symbolic link, not a socket; steep-repl will neither follow nor "
                    + "remove it. Remove it yourself if it is not needed, or set ipc.path to another path");
        }
        if (!isSocket(path)) {
            String what = a.isRegularFile() ? "a regular file" : a.isDirectory() ? "a directory" : "a special file";
            throw new EndpointRefusedException(path + " is " + what + ", not a socket; steep-repl will not remove it. "
                    + "Move it away yourself, or set ipc.path to another path");
        }
        if (answers(path)) {
            throw new EndpointInUseException("another steep-repl daemon is already listening on " + path
                    + "; stop it first, or set ipc.path to another path");
        }
        Files.delete(path);
        LOG.info("removed stale IPC socket {} (left by a daemon that did not shut down cleanly)", path);
    }

    private static boolean isSocket(Path p) throws IOException {
        try {
            int mode = ((Number) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static boolean answers(Path p) {
        try (AFUNIXSocket s = AFUNIXSocket.newInstance()) {
            s.connect(AFUNIXSocketAddress.of(p), 2000);
            return true;
        } catch (IOException e) {
            // refused (nobody listens) — or we may not connect, which also means we cannot tell: treat as dead only
            // when refused; permission problems surface when we try to remove it
            return e instanceof AccessDeniedException || String.valueOf(e.getMessage()).contains("ermission denied");
        }
    }

    private static final class Listener implements IpcListener {
        private final AFUNIXServerSocket server;
        private final Path path;
        private final Object inode;
        private final FileChannel lock;
        private final long ownUid;
        private final long allowedGid;
        private final String allowedGroupName;
        private volatile boolean closed;

        Listener(AFUNIXServerSocket server, Path path, Object inode, FileChannel lock, long ownUid, long allowedGid, String allowedGroupName) {
            this.server = server;
            this.path = path;
            this.inode = inode;
            this.lock = lock;
            this.ownUid = ownUid;
            this.allowedGid = allowedGid;
            this.allowedGroupName = allowedGroupName;
        }

        @Override
        public IpcConnection accept() throws IOException {
            while (true) {
                AFUNIXSocket s = server.accept();
                AFUNIXSocketCredentials c;
                try {
                    c = s.getPeerCredentials();
                } catch (IOException e) {
                    LOG.warn("IPC connection refused: the peer's credentials could not be read ({})", e.getMessage());
                    closeQuietly(s);
                    continue;
                }
                long uid = c.getUid();
                long gid = c.getGid();
                long pid = c.getPid();
                boolean privileged = uid == 0 || uid == ownUid;
                boolean member = !privileged && allowedGid >= 0 && isMember(c, allowedGid);
                if (!privileged && !member) {
                    LOG.warn("IPC connection refused: peer uid={} gid={} pid={} is not root, the daemon's user (uid {}){}",
                            uid, gid, pid, ownUid, allowedGid >= 0 ? " or a member of group " + allowedGroupName + " (gid " + allowedGid + ")" : "");
                    closeQuietly(s);
                    continue;
                }
                String who = "uid=" + uid + " gid=" + gid + " pid=" + pid + (privileged ? "" : " (group " + allowedGroupName + ")");
                return new Connection(s, new PeerIdentity(uid, gid, pid, privileged, who));
            }
        }

        @Override
        public String address() {
            return path.toString();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(server);
            try {
                // remove only our own socket, never whatever might have replaced it
                PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (inode != null && inode.equals(a.fileKey())) {
                    Files.delete(path);
                }
            } catch (NoSuchFileException ignored) {
                // already gone
            } finally {
                closeQuietly(lock);
            }
        }
    }

    /** Primary gid, the gids the OS reported (macOS gives them), or on Linux the peer process's Groups line. */
    static boolean isMember(AFUNIXSocketCredentials c, long gid) {
        if (c.getGid() == gid) {
            return true;
        }
        long[] gids = c.getGids();
        if (gids != null) {
            for (long g : gids) {
                if (g == gid) {
                    return true;
                }
            }
        }
        return c.getPid() > 0 && procGroups(c.getPid()).contains(gid);
    }

    /** Supplementary groups of a Linux process ({@code Groups:} of /proc/PID/status); empty elsewhere. */
    static Set<Long> procGroups(long pid) {
        Set<Long> out = new HashSet<>();
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Groups:")) {
                    for (String g : line.substring(7).trim().split("\\s+")) {
                        if (!g.isEmpty()) {
                            out.add(Long.parseLong(g));
                        }
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc (macOS) or the process is gone: no supplementary groups we can vouch for
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ client side

    @Override
    public IpcConnection connect(Duration timeout) throws IOException {
        AFUNIXSocket s = AFUNIXSocket.newInstance();
        try {
            s.connect(AFUNIXSocketAddress.of(path), (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            return new Connection(s, PeerIdentity.UNKNOWN);
        } catch (IOException e) {
            closeQuietly(s);
            throw new EndpointUnavailableException(explainConnectFailure(e), e);
        }
    }

    private String explainConnectFailure(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (Files.notExists(path, LinkOption.NOFOLLOW_LINKS)) {
            return "no steep-repl daemon is listening: " + path + " does not exist. Start the daemon "
                    + "(systemctl start steep-repl, or steep-repl run) or check ipc.path in the config";
        }
        if (e instanceof AccessDeniedException || m.contains("ermission denied")) {
            return "permission denied on " + path + ": only root, the daemon's user and members of ipc.allowed_group may "
                    + "connect. Ask an administrator to add you to that group (then log in again)";
        }
        if (e instanceof SocketException && m.toLowerCase().contains("refused")) {
            return "the steep-repl daemon is not running: " + path + " exists but nobody answers (a stale socket). "
                    + "Start the daemon; it removes the stale socket itself";
        }
        if (m.contains("closed") || m.toLowerCase().contains("reset") || m.toLowerCase().contains("broken pipe")) {
            return "the steep-repl daemon at " + path + " closed the connection at once; it refuses peers that are not "
                    + "root, its own user or a member of ipc.allowed_group";
        }
        return "cannot connect to the steep-repl daemon at " + path + ": " + m;
    }

    // ------------------------------------------------------------------------------------------ shared

    private static final class Connection implements IpcConnection {
        private final AFUNIXSocket socket;
        private final PeerIdentity peer;

        Connection(AFUNIXSocket socket, PeerIdentity peer) {
            this.socket = socket;
            this.peer = peer;
        }

        @Override
        public InputStream input() throws IOException {
            return socket.getInputStream();
        }

        @Override
        public OutputStream output() throws IOException {
            return socket.getOutputStream();
        }

        @Override
        public PeerIdentity peer() {
            return peer;
        }

        @Override
        public void setReadTimeout(Duration timeout) throws IOException {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing after a failure; the first error is the one that matters
            }
        }
    }
}
