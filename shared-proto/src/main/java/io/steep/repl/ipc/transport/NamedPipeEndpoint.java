package io.steep.repl.ipc.transport;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import com.sun.jna.win32.StdCallLibrary;
import com.sun.jna.win32.W32APIOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Windows named pipe endpoint through JNA. The first instance is created with FILE_FLAG_FIRST_PIPE_INSTANCE
 * (if anyone holds the name already we fail instead of sharing it), every instance with
 * PIPE_REJECT_REMOTE_CLIENTS and the DACL of {@link PipeSecurity#sddl}. A new instance is created before a
 * connected one is handed out, so the name is never free for a squatter. I/O is overlapped, because a
 * synchronous pipe handle serialises a blocked read with a write from another thread.
 *
 * <p>Compiled and name/SDDL-tested everywhere; exercised for real only on Windows (CI job).
 */
public final class NamedPipeEndpoint implements IpcEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(NamedPipeEndpoint.class);

    private static final int PIPE_ACCESS_DUPLEX = 0x00000003;
    private static final int FILE_FLAG_FIRST_PIPE_INSTANCE = 0x00080000;
    private static final int FILE_FLAG_OVERLAPPED = 0x40000000;
    private static final int PIPE_TYPE_BYTE = 0x0;
    private static final int PIPE_READMODE_BYTE = 0x0;
    private static final int PIPE_WAIT = 0x0;
    private static final int PIPE_REJECT_REMOTE_CLIENTS = 0x00000008;
    private static final int PIPE_UNLIMITED_INSTANCES = 255;
    private static final int SECURITY_SQOS_PRESENT = 0x00100000;
    private static final int SECURITY_IDENTIFICATION = 0x00010000;
    private static final int GENERIC_READ = 0x80000000;
    private static final int FILE_WRITE_DATA = 0x2;
    private static final int FILE_WRITE_ATTRIBUTES = 0x100;
    private static final int OPEN_EXISTING = 3;
    private static final int ERROR_FILE_NOT_FOUND = 2;
    private static final int ERROR_ACCESS_DENIED = 5;
    private static final int ERROR_BROKEN_PIPE = 109;
    private static final int ERROR_PIPE_BUSY = 231;
    private static final int ERROR_NO_DATA = 232;
    private static final int ERROR_PIPE_CONNECTED = 535;
    private static final int ERROR_IO_PENDING = 997;
    private static final int ERROR_OPERATION_ABORTED = 995;
    private static final int WAIT_TIMEOUT = 258;
    private static final int INFINITE = 0xFFFFFFFF;
    private static final int TOKEN_QUERY = 0x0008;
    private static final String SYSTEM_SID = "S-1-5-18";
    private static final String ADMINISTRATORS_SID = "S-1-5-32-544";

    /** The few kernel32/advapi32 calls we need, with Pointer buffers (byte[] would be freed while I/O is pending). */
    interface PipeApi extends StdCallLibrary {
        WinNT.HANDLE CreateNamedPipe(String name, int openMode, int pipeMode, int maxInstances, int outBuf, int inBuf,
                                     int defaultTimeout, WinBase.SECURITY_ATTRIBUTES sa);

        boolean ConnectNamedPipe(WinNT.HANDLE h, Pointer overlapped);

        boolean DisconnectNamedPipe(WinNT.HANDLE h);

        WinNT.HANDLE CreateFile(String name, int access, int share, Pointer sa, int disposition, int flags, WinNT.HANDLE template);

        boolean WaitNamedPipe(String name, int timeout);

        boolean ReadFile(WinNT.HANDLE h, Pointer buf, int n, Pointer read, Pointer overlapped);

        boolean WriteFile(WinNT.HANDLE h, Pointer buf, int n, Pointer written, Pointer overlapped);

        boolean GetOverlappedResult(WinNT.HANDLE h, Pointer overlapped, IntByReference n, boolean wait);

        boolean CancelIoEx(WinNT.HANDLE h, Pointer overlapped);

        int WaitForSingleObject(WinNT.HANDLE h, int millis);

        WinNT.HANDLE CreateEvent(Pointer sa, boolean manualReset, boolean initialState, String name);

        boolean CloseHandle(WinNT.HANDLE h);

        boolean GetNamedPipeClientProcessId(WinNT.HANDLE h, IntByReference pid);
    }

    interface SecurityApi extends StdCallLibrary {
        boolean ConvertStringSecurityDescriptorToSecurityDescriptor(String sddl, int revision, PointerByReference sd, IntByReference size);

        boolean ImpersonateNamedPipeClient(WinNT.HANDLE h);
    }

    private static final class Native32 {
        static final PipeApi K32 = Native.load("kernel32", PipeApi.class, W32APIOptions.DEFAULT_OPTIONS);
        static final SecurityApi ADVAPI = Native.load("advapi32", SecurityApi.class, W32APIOptions.DEFAULT_OPTIONS);
    }

    private final String pipePath;
    private final AccessPolicy policy;

    private NamedPipeEndpoint(String pipePath, AccessPolicy policy) {
        this.pipePath = pipePath;
        this.policy = policy;
    }

    public static NamedPipeEndpoint of(String configured, AccessPolicy policy) {
        return new NamedPipeEndpoint(PipeSecurity.pipePath(configured), policy);
    }

    @Override
    public String address() {
        return pipePath;
    }

    // ------------------------------------------------------------------------------------------ server side

    @Override
    public IpcListener listen() throws IOException {
        String ownSid = Advapi32Util.getAccountByName(null, Advapi32Util.getUserName()).sidString;
        List<String> allowed = new ArrayList<>();
        if (policy.allowedGroup().isPresent()) {
            String g = policy.allowedGroup().get();
            try {
                allowed.add(PipeSecurity.isSid(g) ? g : Advapi32Util.getAccountByName(null, g).sidString);
            } catch (RuntimeException e) {
                throw new EndpointRefusedException("ipc.allowed_group '" + g + "' is not a known user or group on this machine; "
                        + "correct the setting or create the group", e);
            }
        }
        String sddl = PipeSecurity.sddl(ownSid, allowed);
        PointerByReference sd = new PointerByReference();
        if (!Native32.ADVAPI.ConvertStringSecurityDescriptorToSecurityDescriptor(sddl, 1, sd, null)) {
            throw new IOException("cannot build the pipe's security descriptor (" + sddl + "): Windows error " + Native.getLastError());
        }
        WinBase.SECURITY_ATTRIBUTES sa = new WinBase.SECURITY_ATTRIBUTES();
        sa.dwLength = new com.sun.jna.platform.win32.WinDef.DWORD(sa.size());
        sa.lpSecurityDescriptor = sd.getValue();
        sa.bInheritHandle = false;
        WinNT.HANDLE first = createInstance(sa, true);
        LOG.info("IPC listening on {} (DACL {})", pipePath, sddl);
        return new PipeListener(sa, sd.getValue(), first, ownSid);
    }

    private WinNT.HANDLE createInstance(WinBase.SECURITY_ATTRIBUTES sa, boolean first) throws IOException {
        int openMode = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0);
        int pipeMode = PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS;
        WinNT.HANDLE h = Native32.K32.CreateNamedPipe(pipePath, openMode, pipeMode, PIPE_UNLIMITED_INSTANCES, 65536, 65536, 0, sa);
        if (h == null || WinBase.INVALID_HANDLE_VALUE.equals(h)) {
            int err = Native.getLastError();
            if (err == ERROR_ACCESS_DENIED || err == ERROR_PIPE_BUSY) {
                throw new EndpointInUseException("the pipe " + pipePath + " is already owned by another process (another "
                        + "steep-repl daemon, or a program squatting the name); stop it first, or set ipc.path to another name");
            }
            throw new IOException("CreateNamedPipe(" + pipePath + ") failed: Windows error " + err);
        }
        return h;
    }

    private final class PipeListener implements IpcListener {
        private final WinBase.SECURITY_ATTRIBUTES sa;
        private final Pointer securityDescriptor;
        private final String ownSid;
        private WinNT.HANDLE pending;
        private volatile boolean closed;

        PipeListener(WinBase.SECURITY_ATTRIBUTES sa, Pointer securityDescriptor, WinNT.HANDLE first, String ownSid) {
            this.sa = sa;
            this.securityDescriptor = securityDescriptor;
            this.pending = first;
            this.ownSid = ownSid;
        }

        @Override
        public IpcConnection accept() throws IOException {
            while (true) {
                if (closed) {
                    throw new java.net.SocketException("listener closed");
                }
                WinNT.HANDLE h = pending;
                Overlapped ov = new Overlapped();
                try {
                    boolean connected = Native32.K32.ConnectNamedPipe(h, ov.pointer());
                    if (!connected) {
                        int err = Native.getLastError();
                        if (err == ERROR_IO_PENDING) {
                            IntByReference n = new IntByReference();
                            if (!Native32.K32.GetOverlappedResult(h, ov.pointer(), n, true)) {
                                throw new IOException("ConnectNamedPipe failed: Windows error " + Native.getLastError());
                            }
                        } else if (err != ERROR_PIPE_CONNECTED) {
                            if (closed) {
                                throw new java.net.SocketException("listener closed");
                            }
                            throw new IOException("ConnectNamedPipe failed: Windows error " + err);
                        }
                    }
                } finally {
                    ov.close();
                }
                // keep the name held before handing this instance out
                pending = createInstance(sa, false);
                PeerIdentity peer = identify(h);
                return new PipeConnection(h, peer);
            }
        }

        private PeerIdentity identify(WinNT.HANDLE h) {
            IntByReference pid = new IntByReference(-1);
            Native32.K32.GetNamedPipeClientProcessId(h, pid);
            String sid = null;
            boolean admin = false;
            if (Native32.ADVAPI.ImpersonateNamedPipeClient(h)) {
                try {
                    WinNT.HANDLEByReference token = new WinNT.HANDLEByReference();
                    if (Advapi32.INSTANCE.OpenThreadToken(Kernel32.INSTANCE.GetCurrentThread(), TOKEN_QUERY, true, token)) {
                        try {
                            sid = Advapi32Util.getTokenAccount(token.getValue()).sidString;
                            for (Advapi32Util.Account g : Advapi32Util.getTokenGroups(token.getValue())) {
                                admin |= ADMINISTRATORS_SID.equals(g.sidString);
                            }
                        } finally {
                            Kernel32.INSTANCE.CloseHandle(token.getValue());
                        }
                    }
                } finally {
                    Advapi32.INSTANCE.RevertToSelf();
                }
            }
            boolean privileged = ownSid.equals(sid) || SYSTEM_SID.equals(sid) || admin;
            return new PeerIdentity(-1, -1, pid.getValue(), privileged, "sid=" + sid + " pid=" + pid.getValue());
        }

        @Override
        public String address() {
            return pipePath;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            Native32.K32.CloseHandle(pending);
            Kernel32.INSTANCE.LocalFree(securityDescriptor);
        }
    }

    // ------------------------------------------------------------------------------------------ client side

    @Override
    public IpcConnection connect(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            WinNT.HANDLE h = Native32.K32.CreateFile(pipePath, GENERIC_READ | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES, 0, null,
                    OPEN_EXISTING, FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, null);
            if (h != null && !WinBase.INVALID_HANDLE_VALUE.equals(h)) {
                return new PipeConnection(h, PeerIdentity.UNKNOWN);
            }
            int err = Native.getLastError();
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (err == ERROR_PIPE_BUSY && left > 0) {
                Native32.K32.WaitNamedPipe(pipePath, (int) Math.min(left, Integer.MAX_VALUE));
                continue;
            }
            String why = switch (err) {
                case ERROR_FILE_NOT_FOUND -> "no steep-repl daemon is listening on " + pipePath
                        + ": start the service (steep-repl service start) or check ipc.path";
                case ERROR_ACCESS_DENIED -> "access denied to " + pipePath + ": only SYSTEM, Administrators, the daemon's "
                        + "user and ipc.allowed_group may connect; ask an administrator to add you to that group";
                case ERROR_PIPE_BUSY -> "the steep-repl daemon at " + pipePath + " is busy; try again";
                default -> "cannot connect to " + pipePath + ": Windows error " + err;
            };
            throw new EndpointUnavailableException(why, null);
        }
    }

    // ------------------------------------------------------------------------------------------ shared

    /** An OVERLAPPED block with its own manual-reset event, in native memory that stays put while I/O is pending. */
    private static final class Overlapped implements AutoCloseable {
        private final WinBase.OVERLAPPED ov = new WinBase.OVERLAPPED();
        private final WinNT.HANDLE event;

        Overlapped() {
            event = Native32.K32.CreateEvent(null, true, false, null);
            ov.hEvent = event;
            ov.write();
        }

        Pointer pointer() {
            return ov.getPointer();
        }

        WinNT.HANDLE event() {
            return event;
        }

        void reset() {
            ov.Internal = null;
            ov.InternalHigh = null;
            ov.Offset = 0;
            ov.OffsetHigh = 0;
            ov.hEvent = event;
            ov.write();
            Kernel32.INSTANCE.ResetEvent(event);
        }

        @Override
        public void close() {
            Native32.K32.CloseHandle(event);
        }
    }

    private static final class PipeConnection implements IpcConnection {
        private final WinNT.HANDLE handle;
        private final PeerIdentity peer;
        private final Overlapped readOv = new Overlapped();
        private final Overlapped writeOv = new Overlapped();
        private final Memory readBuf = new Memory(65536);
        private final Memory writeBuf = new Memory(65536);
        private volatile int readTimeoutMillis;
        private volatile boolean closed;
        private final InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return readSome(b, off, len);
            }
        };
        private final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writeAll(b, off, len);
            }
        };

        PipeConnection(WinNT.HANDLE handle, PeerIdentity peer) {
            this.handle = handle;
            this.peer = peer;
        }

        private synchronized int readSome(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("pipe closed");
            }
            if (len == 0) {
                return 0;
            }
            int n = Math.min(len, (int) readBuf.size());
            readOv.reset();
            IntByReference got = new IntByReference();
            if (!Native32.K32.ReadFile(handle, readBuf, n, null, readOv.pointer())) {
                int err = Native.getLastError();
                if (err == ERROR_BROKEN_PIPE || err == ERROR_NO_DATA) {
                    return -1;
                }
                if (err != ERROR_IO_PENDING) {
                    throw new IOException("ReadFile failed: Windows error " + err);
                }
                int timeout = readTimeoutMillis;
                if (timeout > 0 && Native32.K32.WaitForSingleObject(readOv.event(), timeout) == WAIT_TIMEOUT) {
                    Native32.K32.CancelIoEx(handle, readOv.pointer());
                    if (!Native32.K32.GetOverlappedResult(handle, readOv.pointer(), got, true)) {
                        int e2 = Native.getLastError();
                        if (e2 == ERROR_OPERATION_ABORTED) {
                            throw new SocketTimeoutException("no data within " + timeout + " ms");
                        }
                        if (e2 == ERROR_BROKEN_PIPE) {
                            return -1;
                        }
                        throw new IOException("ReadFile failed: Windows error " + e2);
                    }
                }
            }
            if (!Native32.K32.GetOverlappedResult(handle, readOv.pointer(), got, true)) {
                int err = Native.getLastError();
                if (err == ERROR_BROKEN_PIPE || err == ERROR_NO_DATA) {
                    return -1;
                }
                throw new IOException("ReadFile failed: Windows error " + err);
            }
            int count = got.getValue();
            if (count == 0) {
                return -1;
            }
            readBuf.read(0, b, off, count);
            return count;
        }

        private synchronized void writeAll(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (closed) {
                    throw new IOException("pipe closed");
                }
                int n = Math.min(len, (int) writeBuf.size());
                writeBuf.write(0, b, off, n);
                writeOv.reset();
                IntByReference put = new IntByReference();
                if (!Native32.K32.WriteFile(handle, writeBuf, n, null, writeOv.pointer())) {
                    int err = Native.getLastError();
                    if (err != ERROR_IO_PENDING) {
                        throw new IOException("the other end closed the pipe (Windows error " + err + ")");
                    }
                }
                if (!Native32.K32.GetOverlappedResult(handle, writeOv.pointer(), put, true)) {
                    throw new IOException("the other end closed the pipe (Windows error " + Native.getLastError() + ")");
                }
                off += put.getValue();
                len -= put.getValue();
            }
        }

        @Override
        public InputStream input() {
            return in;
        }

        @Override
        public OutputStream output() {
            return out;
        }

        @Override
        public PeerIdentity peer() {
            return peer;
        }

        @Override
        public void setReadTimeout(Duration timeout) {
            readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            // cancel pending I/O first so blocked readers/writers return, then release the handle
            Native32.K32.CancelIoEx(handle, null);
            Native32.K32.DisconnectNamedPipe(handle);
            Native32.K32.CloseHandle(handle);
        }
    }
}
