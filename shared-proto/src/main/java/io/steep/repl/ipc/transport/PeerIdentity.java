package io.steep.repl.ipc.transport;

/**
 * Who connected, as the OS reported it on accept. {@code privileged} is true for root / SYSTEM /
 * Administrators and the daemon's own user; members of the allowed group are admitted but not privileged.
 * Unknown numeric fields are -1.
 */
public record PeerIdentity(long uid, long gid, long pid, boolean privileged, String description) {

    public static final PeerIdentity UNKNOWN = new PeerIdentity(-1, -1, -1, false, "unknown peer");

    @Override
    public String toString() {
        return description;
    }
}
