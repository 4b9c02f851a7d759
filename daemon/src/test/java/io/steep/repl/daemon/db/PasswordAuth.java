package io.steep.repl.daemon.db;

import io.steep.repl.testing.PgServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The shared test server trusts local connections; a password test needs one role that must really
 * authenticate. Prepends a scram-sha-256 rule for that role only to pg_hba.conf and reloads.
 */
final class PasswordAuth {

    private PasswordAuth() {
    }

    static void requireScramFor(PgServer pg, String role) throws Exception {
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
            Path hba;
            try (ResultSet rs = s.executeQuery("SELECT current_setting('hba_file')")) {
                rs.next();
                hba = Path.of(rs.getString(1));
            }
            String rules = "host all " + role + " 127.0.0.1/32 scram-sha-256\nhost all " + role + " ::1/128 scram-sha-256\n";
            Files.writeString(hba, rules + Files.readString(hba));
            s.execute("SELECT pg_reload_conf()");
        }
    }
}
