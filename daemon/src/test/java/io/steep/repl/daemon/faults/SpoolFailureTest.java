package io.steep.repl.daemon.faults;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.EnabledOnOs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.daemon.Outage;
import io.steep.repl.daemon.TestConfigs;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.lifecycle.Daemon;
import io.steep.repl.daemon.lifecycle.DaemonContext;
import io.steep.repl.daemon.lifecycle.StartupException;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 11, daemon faults: the audit spool's disk fills up, or the spool directory is not writable. The daemon
 * says so clearly (one error line, health degraded), keeps serving, does not lose events while PostgreSQL takes
 * them directly, and recovers by itself when space returns. An unwritable spool at start is refused with a message
 * naming the directory and the setting.
 */
@ExtendWith(RealPostgres.class)
@Timeout(120)
class SpoolFailureTest {

    @TempDir
    Path dir;

    private Path configWithSpool(PgServer pg, String db, Path spool) throws Exception {
        Path file = TestConfigs.write(dir, pg, db, null);
        Files.writeString(file, Files.readString(file).replace(dir.resolve("spool").toString(), spool.toString()));
        return file;
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "needs a Linux tmpfs mount (and root) for a real full disk")
    void aFullDiskDegradesHealthLogsOnceKeepsEventsAndRecovers(PgServer pg) throws Exception {
        Path spool = dir.resolve("tiny");
        String why = Mounts.tmpfs(spool, "64k");
        assumeTrue(why == null, () -> Mounts.unavailable("the disk-full test (a 64 KiB tmpfs)", why));
        String db = FaultDaemons.database(pg, "spool_full");
        DaemonConfig config = TestConfigs.load(configWithSpool(pg, db, spool), Map.of());
        Path filler = spool.resolve("filler");
        try (LogCapture logs = LogCapture.open()) {
            Daemon daemon = FaultDaemons.start(config);
            DaemonContext ctx = daemon.context();
            try {
                assertThat(ctx.audit().flush(Duration.ofSeconds(10))).isTrue();
                fill(filler);

                for (int i = 0; i < 20; i++) {
                    ctx.audit("test.event", "test", "full", Map.of("seq", i)); // must not throw
                }
                List<String> errors = logs.lines(l -> l.startsWith("ERROR") && l.contains("cannot write the audit spool"));
                assertThat(errors).as("one error line for the cause, not one per event").hasSize(1);
                assertThat(errors.getFirst()).contains(spool.toString()).contains("No space left on device")
                        .contains("repl.audit.spool_dir");

                JsonNode health = FaultDaemons.call(config, IpcMethods.HEALTH_CHECK);
                assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("degraded");
                assertThat(health.at("/components/audit/status").asText()).isEqualTo("spool_unwritable");
                assertThat(health.at("/components/audit/message").asText()).contains("No space left on device");
                HttpResponse<String> http = FaultDaemons.http(daemon, "/health");
                JsonNode body = new ObjectMapper().readTree(http.body());
                assertThat(body.at("/components/audit/error").asText()).contains(spool.toString());
                assertThat(FaultDaemons.call(config, IpcMethods.STATUS_GET).path("state").asText()).isEqualTo("running");
                assertThat(count(pg, db)).as("written to PostgreSQL directly, nothing lost").isEqualTo(20);

                // PostgreSQL away too: now events are lost, and health says so (unhealthy, not merely degraded)
                Outage.stop(pg, PgServer.StopMode.FAST);
                try {
                    FaultDaemons.await(Duration.ofSeconds(20), "PostgreSQL seen down", () -> !ctx.database().status().ready());
                    ctx.audit("test.lost", "test", "full", Map.of());
                    JsonNode h = FaultDaemons.call(config, IpcMethods.HEALTH_CHECK);
                    assertThat(h.at("/components/audit/healthy").asBoolean()).isFalse();
                    assertThat(h.at("/components/audit/status").asText()).isEqualTo("losing_events");
                } finally {
                    Outage.start(pg);
                }
                assertThat(ctx.database().awaitReady(Duration.ofSeconds(30))).isTrue();

                // space returns: the next event is spooled again, health recovers, it is delivered
                Files.delete(filler);
                ctx.audit("test.event", "test", "full", Map.of("seq", 20));
                assertThat(ctx.audit().flush(Duration.ofSeconds(20))).isTrue();
                assertThat(count(pg, db)).isEqualTo(21);
                FaultDaemons.await(Duration.ofSeconds(10), "health healthy again", () -> ctx.health().healthy()
                        && ctx.health().snapshot().get("audit").error() == null);
                assertThat(logs.lines(l -> l.contains("is writable again") && l.contains("1 audit event(s) could not be recorded")))
                        .hasSize(1);
            } finally {
                daemon.stop();
            }
        } finally {
            Mounts.unmount(spool);
        }
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "needs a Linux read-only bind mount (and root)")
    void aReadOnlySpoolDirectoryStopsTheStartWithAClearMessage(PgServer pg) throws Exception {
        Path spool = dir.resolve("readonly");
        String why = Mounts.readOnly(spool);
        assumeTrue(why == null, () -> Mounts.unavailable("the read-only spool test (a read-only bind mount)", why));
        try {
            String db = FaultDaemons.database(pg, "spool_ro");
            DaemonConfig config = TestConfigs.load(configWithSpool(pg, db, spool), Map.of());
            Daemon daemon = new Daemon(config, FaultDaemons.FAST, List.of(), List.of());
            assertThatThrownBy(daemon::start).isInstanceOf(StartupException.class)
                    .hasMessageContaining(spool.toString()).hasMessageContaining("Read-only file system")
                    .hasMessageContaining("repl.audit.spool_dir");
            assertThat(daemon.stop()).as("stopping a daemon that never started is harmless").isTrue();
            assertThat(Path.of(config.ipc().path())).as("nothing was started").doesNotExist();
        } finally {
            Mounts.unmount(spool);
        }
    }

    @Test
    void aSpoolPathThatIsAFileStopsTheStartWithAClearMessage(PgServer pg) throws Exception {
        Path notADir = Files.writeString(dir.resolve("a-file"), "x");
        String db = FaultDaemons.database(pg, "spool_file");
        DaemonConfig config = TestConfigs.load(configWithSpool(pg, db, notADir), Map.of());
        assertThatThrownBy(() -> new Daemon(config, FaultDaemons.FAST, List.of(), List.of()).start())
                .isInstanceOf(StartupException.class)
                .hasMessageContaining(notADir.toString()).hasMessageContaining("repl.audit.spool_dir");
    }

    /** Writes until the file system says it is full. */
    private static void fill(Path filler) {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 100_000; i++) {
                out.write(block);
                out.flush();
            }
            throw new AssertionError("the tmpfs never filled up");
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
        }
    }

    private static int count(PgServer pg, String db) throws Exception {
        try (Connection c = pg.connect(db); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM steep_repl.audit_log WHERE action = 'test.event'"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
