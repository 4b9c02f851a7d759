package io.steep.repl.tray.extension;

import io.steep.repl.tray.connection.DaemonCallException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExtensionErrorsTest {

    @Test
    void olderPostgresGetsTheUpgradeFix() {
        assertThat(ExtensionErrors.explain(new DaemonCallException("UNSUPPORTED_VERSION", "steep_repl requires PostgreSQL 18 or later (server is 17.6)")))
                .contains("pg_upgrade", "PostgreSQL 18");
        // by the server's words alone too
        assertThat(ExtensionErrors.explain(new DaemonCallException("INTERNAL_ERROR", "steep_repl requires PostgreSQL 18 or later (server is 17.6)")))
                .contains("pg_upgrade");
    }

    @Test
    void theDaemonsFilesMissingCodeGetsThePackageAndTheRealControlPath() {
        String fix = ExtensionErrors.explain(new DaemonCallException("EXTENSION_FILES_MISSING", "PostgreSQL 18.1 has no steep_repl extension files (x)"));
        assertThat(fix).contains("$(pg_config --sharedir)/extension", "DIR/extension", "extension_control_path = '$system:DIR'",
                "/opt/steep-repl/share/extension", "'$system:/opt/steep-repl/share'");
        assertThat(fix).doesNotContain("/usr/share/steep-repl");
    }

    @Test
    void aMissingUpdatePathAsksForThePackageOfThisRelease() {
        assertThat(ExtensionErrors.explain(new DaemonCallException("EXTENSION_FILES_MISSING", "the steep_repl files on the database"
                + " server cannot update version 0.0.9 to 0.1.0 (ERROR: extension \"steep_repl\" has no update path from version \"0.0.9\" to version \"0.1.0\")")))
                .contains("cannot update it", "package of this release").doesNotContain("extension_control_path");
    }

    @Test
    void aRoleWithoutSuperuserIsToldToCreateItAsPostgresAndGrantAccess() {
        String fix = ExtensionErrors.explain(new DaemonCallException("PERMISSION_DENIED", "CREATE EXTENSION steep_repl needs a superuser"),
                "steep", "steep_repl");
        assertThat(fix).contains("superuser = true", "sudo -u postgres psql -d steep -c 'CREATE EXTENSION steep_repl'",
                "SELECT steep_repl.grant_daemon_access('steep_repl')").doesNotContain("grant the role CREATE");
    }

    @Test
    void missingFilesGetTheExtensionControlPathFix() {
        assertThat(ExtensionErrors.explain(new DaemonCallException("INTERNAL_ERROR",
                "could not open extension control file \"/usr/share/postgresql/18/extension/steep_repl.control\": No such file or directory")))
                .contains("extension_control_path", "steep-repl package");
        assertThat(ExtensionErrors.explain(new DaemonCallException("INTERNAL_ERROR", "extension \"steep_repl\" is not available")))
                .contains("extension_control_path");
    }

    @Test
    void privilegesAndUnknownErrorsSayWhatToDo() {
        assertThat(ExtensionErrors.explain(new DaemonCallException("INTERNAL_ERROR", "permission denied to create extension \"steep_repl\"")))
                .contains("superuser", "<daemon role>", "psql -d DB");
        assertThat(ExtensionErrors.explain(new DaemonCallException("NOT_CONNECTED", "pg down"))).contains("cannot reach PostgreSQL");
        assertThat(ExtensionErrors.explain(new DaemonCallException("WHATEVER", "x"))).contains("daemon's log");
    }
}
