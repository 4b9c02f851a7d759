package io.steep.repl.tray.extension;

import io.steep.repl.tray.ErrorDialogs;
import io.steep.repl.tray.connection.DaemonCallException;

import java.util.Locale;

/** Explains why installing steep_repl failed and what fixes it. Pure, so every branch is unit-tested. */
public final class ExtensionErrors {

    private ExtensionErrors() {
    }

    public static String explain(DaemonCallException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("requires postgresql 18") || m.contains("postgresql 18 or later")) {
            return "steep_repl needs PostgreSQL 18 or later, and this server is older. Upgrade the cluster to 18 "
                    + "(pg_upgrade or a dump and restore), or point the daemon's postgresql settings at a PostgreSQL 18 server, "
                    + "then install again.";
        }
        if (m.contains("not found") && (m.contains("extension") || m.contains("control file"))
                || m.contains("could not open extension control file") || m.contains("is not available")) {
            return "PostgreSQL cannot find the steep_repl extension files. Install the steep-repl package on the "
                    + "database server (it puts steep_repl.control and the SQL into the extension directory), or add the "
                    + "directory holding them to postgresql.conf: extension_control_path = '$system:/usr/share/steep-repl/postgresql' "
                    + "and reload PostgreSQL, then install again.";
        }
        if ("PERMISSION_DENIED".equals(e.code()) || m.contains("permission denied to create extension") || m.contains("must be superuser")) {
            return "The daemon's database role may not create extensions. Run CREATE EXTENSION steep_repl once as a "
                    + "superuser or the database owner, or grant the role CREATE on the database.";
        }
        String hint = ErrorDialogs.hint(e);
        return hint.isEmpty() ? "See the daemon's log for details." : hint;
    }
}
