package io.steep.repl.ipc.transport;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Pure helpers for the Windows named pipe: the pipe name rules and the SDDL security descriptor. Kept free of
 * JNA so they are unit-tested on every OS.
 */
public final class PipeSecurity {

    public static final String PREFIX = "\\\\.\\pipe\\";
    /** Windows: "The entire pipe name string can be up to 256 characters long." */
    public static final int MAX_NAME_LENGTH = 256;

    /**
     * Rights for the allowed group: read, write data, read/write attributes and EAs, synchronize, read control —
     * everything a client needs and deliberately <em>not</em> FILE_APPEND_DATA (= FILE_CREATE_PIPE_INSTANCE), so a
     * group member cannot create server instances of our pipe and intercept other clients.
     */
    public static final String CLIENT_RIGHTS = "0x12019b";

    private static final Pattern SID = Pattern.compile("S-1-\\d{1,15}(-\\d{1,10}){1,15}");

    private PipeSecurity() {
    }

    /**
     * The full pipe path for a configured name: {@code steep-repl} and {@code \\.\pipe\steep-repl} both give
     * {@code \\.\pipe\steep-repl}. Remote pipes ({@code \\server\pipe\…}) are refused: the daemon serves the
     * local machine only.
     */
    public static String pipePath(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException("ipc.path is empty; use a pipe name such as \\\\.\\pipe\\steep-repl");
        }
        String s = configured.strip();
        String name;
        if (s.startsWith("\\\\")) {
            if (!s.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
                throw new IllegalArgumentException("ipc.path " + s + " is not a local pipe; use \\\\.\\pipe\\<name> "
                        + "(steep-repl does not listen on or connect to remote pipes)");
            }
            name = s.substring(PREFIX.length());
        } else {
            name = s;
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("ipc.path " + s + " has no pipe name after \\\\.\\pipe\\");
        }
        if (name.indexOf('\\') >= 0 || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("pipe name '" + name + "' must not contain \\ or /; use e.g. steep-repl");
        }
        for (char c : name.toCharArray()) {
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("pipe name '" + name.replaceAll("\\p{Cntrl}", "?") + "' contains a control character");
            }
        }
        String full = PREFIX + name;
        if (full.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("pipe path " + full + " is longer than " + MAX_NAME_LENGTH + " characters; use a shorter name");
        }
        return full;
    }

    /**
     * The pipe's security descriptor: a protected DACL (no inherited entries) that denies network logons, gives
     * SYSTEM, Administrators and the daemon's own user full access, and each allowed SID client access only.
     *
     * @param daemonUserSid SID of the account the daemon runs as
     * @param allowedSids   SIDs of the configured user/group (resolved from names by the caller); may be empty
     */
    public static String sddl(String daemonUserSid, List<String> allowedSids) {
        requireSid(daemonUserSid, "daemon user");
        StringBuilder b = new StringBuilder("D:P");
        b.append("(D;;GA;;;NU)");          // network logons: never, even if a future flag change let them in
        b.append("(A;;GA;;;SY)");          // LocalSystem
        b.append("(A;;GA;;;BA)");          // BUILTIN\Administrators
        b.append("(A;;GA;;;").append(daemonUserSid).append(')');
        for (String sid : allowedSids) {
            requireSid(sid, "ipc.allowed_group");
            if (!sid.equals(daemonUserSid)) {
                b.append("(A;;").append(CLIENT_RIGHTS).append(";;;").append(sid).append(')');
            }
        }
        return b.toString();
    }

    /** Whether a string is a SID in string form ({@code S-1-5-21-…}); anything else could inject SDDL. */
    public static boolean isSid(String s) {
        return s != null && SID.matcher(s).matches();
    }

    private static void requireSid(String sid, String what) {
        if (!isSid(sid)) {
            throw new IllegalArgumentException(what + " '" + sid + "' is not a SID (S-1-…); resolve account names to SIDs first");
        }
    }
}
