package io.steep.repl.tray.extension;

import io.steep.repl.tray.connection.DaemonCallException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExtensionErrorsTest {

    @Test
    void olderPostgresGetsTheUpgradeFix() {
        assertThat(ExtensionErrors.explain(new DaemonCallException("INTERNAL_ERROR", "steep_repl requires PostgreSQL 18 or later (server is 17.6)")))
                .contains("pg_upgrade", "PostgreSQL 18");
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
                .contains("superuser");
        assertThat(ExtensionErrors.explain(new DaemonCallException("NOT_CONNECTED", "pg down"))).contains("cannot reach PostgreSQL");
        assertThat(ExtensionErrors.explain(new DaemonCallException("WHATEVER", "x"))).contains("daemon's log");
    }
}
