package io.steep.repl.ipc.transport;

import java.util.Optional;

/**
 * Who may connect besides root/SYSTEM and the daemon's own user: members of {@code ipc.allowed_group}
 * (a unix group name; on Windows a group or user account name, or a SID string).
 */
public record AccessPolicy(Optional<String> allowedGroup) {

    public static final AccessPolicy OWNER_ONLY = new AccessPolicy(Optional.empty());

    public AccessPolicy {
        allowedGroup = allowedGroup.filter(g -> !g.isBlank()).map(String::strip);
    }

    public static AccessPolicy allowingGroup(String group) {
        return new AccessPolicy(Optional.ofNullable(group));
    }
}
