package io.steep.repl.tray.extension;

import io.steep.repl.tray.ErrorDialogs;
import io.steep.repl.tray.connection.DaemonCallException;

import java.util.Locale;

/**
 * Explains why installing steep_repl failed and what fixes it. The daemon's codes come first
 * ({@code UNSUPPORTED_VERSION}, {@code EXTENSION_FILES_MISSING}, {@code PERMISSION_DENIED}, see docs/ipc.md); the
 * server's own words are recognised too, for a daemon that passes them on under another code. Pure, so every branch
 * is unit-tested.
 */
public final class ExtensionErrors {

    /** Where the DEB puts the files when PostgreSQL's own extension directory is not writable for it. */
    static final String DEB_SHARE_DIR = "/opt/steep-repl/share";

    private ExtensionErrors() {
    }

    public static String explain(DaemonCallException e) {
        return explain(e, null, null);
    }

    /**
     * @param database the daemon's database, to fill into the commands (null: a placeholder)
     * @param role     the daemon's PostgreSQL role (null: a placeholder)
     */
    public static String explain(DaemonCallException e, String database, String role) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        String db = database == null || database.isBlank() ? "DB" : database;
        String r = role == null || role.isBlank() ? "<daemon role>" : role;
        if ("UNSUPPORTED_VERSION".equals(e.code()) || m.contains("requires postgresql 18") || m.contains("postgresql 18 or later")) {
            return "steep_repl needs PostgreSQL 18 or later, and this server is older. Upgrade the cluster to 18 "
                    + "(pg_upgrade, or a dump and restore), or point the postgresql section of the daemon's config at a "
                    + "PostgreSQL 18 server, then install again.";
        }
        if (m.contains("update path") || m.contains("cannot update version")) {
            return "An older steep_repl is installed and the files on the database server cannot update it. Install the "
                    + "steep-repl package of this release on the database server (it ships the update scripts), then "
                    + "install again.";
        }
        if ("EXTENSION_FILES_MISSING".equals(e.code()) || m.contains("could not open extension control file")
                || m.contains("is not available") || m.contains("no steep_repl extension files")) {
            return filesMissing();
        }
        if ("PERMISSION_DENIED".equals(e.code()) || m.contains("permission denied to create extension")
                || m.contains("must be superuser")) {
            return "Only a superuser may create steep_repl (its control file says superuser = true), and the daemon's "
                    + "role is not one. Create it once as postgres, then give the daemon's role access:\n"
                    + "  sudo -u postgres psql -d " + db + " -c 'CREATE EXTENSION steep_repl'\n"
                    + "  sudo -u postgres psql -d " + db + " -c \"SELECT steep_repl.grant_daemon_access('" + r + "')\"";
        }
        String hint = ErrorDialogs.hint(e);
        return hint.isEmpty() ? "See the daemon's log for details." : hint;
    }

    /** The fix when the server has no steep_repl files (also shown when the status says they are not available). */
    public static String filesMissing() {
        return "PostgreSQL cannot find the steep_repl extension files. Install the steep-repl package on the database "
                + "server: it copies steep_repl.control and the SQL scripts into $(pg_config --sharedir)/extension. "
                + "Otherwise put the files in DIR/extension and set extension_control_path = '$system:DIR' in "
                + "postgresql.conf (the DEB ships them under " + DEB_SHARE_DIR + "/extension, so '$system:" + DEB_SHARE_DIR
                + "'), reload PostgreSQL, then install again.";
    }
}
