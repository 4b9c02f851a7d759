package io.steep.repl.daemon.db;

import io.steep.repl.daemon.TestConfigs;
import io.steep.repl.daemon.health.HealthRegistry;
import io.steep.repl.testing.EmbeddedPgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A PostgreSQL 17 server: the daemon runs, says why replication is off, and /health carries the reason. */
class OldServerTest {

    @TempDir
    Path dir;

    @Test
    void postgres17IsReportedAsUnsupported() throws Exception {
        // The extension module copies the PG 17 binaries jar aside during the reactor build (two binaries jars
        // cannot share a classpath); outside a reactor build it may be missing.
        Path jar = RealPostgres.targetDir().resolve("../../extension/target/pg17/pg17-binaries.jar").normalize();
        assumeTrue(Files.exists(jar), "PG 17 binaries jar not built: " + jar);
        EmbeddedPgServer pg17 = EmbeddedPgServer.startFromBinariesJar(RealPostgres.targetDir().resolve("embedded-pg/pg17-daemon-"
                + ProcessHandle.current().pid()), jar);
        try {
            Database d = new Database(TestConfigs.config(dir, pg17, "postgres"), null, DatabaseTest.FAST);
            d.start();
            try {
                PgStatus s = DatabaseTest.await(d, PgStatus.State.UNSUPPORTED_VERSION);
                assertThat(s.serverVersion()).hasValueSatisfying(v -> assertThat(v).startsWith("17."));
                assertThat(s.error()).hasValueSatisfying(e -> assertThat(e)
                        .startsWith("PostgreSQL 18 or later is required for replication, the server is 17.")
                        .contains("replication features stay off"));
                var health = new HealthRegistry(TestConfigs.config(dir, pg17, "postgres"), d, null).postgresql();
                assertThat(health.healthy()).isFalse();
                assertThat(health.status()).isEqualTo("unsupported_version");
            } finally {
                d.stop();
            }
        } finally {
            pg17.close();
        }
    }
}
