package io.steep.repl.daemon.ipc;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.daemon.service.RecordingRunner;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * service.* over a real socket, acting on a scratch Linux machine: files are really written under a scratch root,
 * systemctl & co. are a recording stand-in (the service package's seam).
 */
@Timeout(120)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "simulates a Linux/macOS host under a scratch root: its default paths are java.nio Paths of the running OS, which print /etc/steep with backslashes on Windows")
class ServiceMethodsTest {

    private static final String UNIT = "/etc/systemd/system/steep-repl.service";
    private static final String USER_UNIT = "/home/alice/.config/systemd/user/steep-repl.service";

    @TempDir
    Path dir;
    private RecordingRunner runner;
    private AdminServer ipc;
    private Path root;

    @BeforeEach
    void start() throws Exception {
        runner = new RecordingRunner();
        ipc = new AdminServer(dir, Fixtures.adminDeps(Fixtures.unreachableDataSource(), dir, runner, null));
        root = dir.resolve("root");
    }

    @AfterEach
    void stop() {
        ipc.close();
    }

    private Path file(String osPath) {
        return root.resolve(osPath.substring(1));
    }

    @Test
    void installWritesTheUnitAndStatusReportsWhatSystemdSays() throws Exception {
        JsonNode before = ipc.call(IpcMethods.SERVICE_STATUS, null);
        assertThat(before.path("installed").asBoolean(true)).isFalse();
        assertThat(before.path("scope").asText()).isEqualTo("system");
        assertThat(before.path("state").asText()).isEqualTo("unknown");
        assertThat(before.path("manager").asText()).isEqualTo("systemd");

        JsonNode installed = ipc.call(IpcMethods.SERVICE_INSTALL, Map.of("config", "/etc/steep/custom.yaml"));

        assertThat(installed.path("operation").asText()).isEqualTo("install");
        assertThat(installed.path("scope").asText()).isEqualTo("system");
        assertThat(installed.path("scheduled").asBoolean(true)).isFalse();
        assertThat(installed.path("message").asText()).startsWith("done: install steep-repl");
        assertThat(installed.path("log").asText()).contains("wrote " + UNIT);
        assertThat(Files.readString(file(UNIT))).contains("run --config /etc/steep/custom.yaml");
        assertThat(runner.changes()).contains("systemctl enable steep-repl.service");

        runner.answer("systemctl show", 0, "UnitFileState=enabled\nActiveState=active\nSubState=running\nMainPID=999999\n");
        JsonNode after = ipc.call(IpcMethods.SERVICE_STATUS, Map.of("user", false));
        assertThat(after.path("installed").asBoolean()).isTrue();
        assertThat(after.path("enabled").asBoolean()).isTrue();
        assertThat(after.path("state").asText()).isEqualTo("active");
        assertThat(after.path("running").asBoolean()).isTrue();
        assertThat(after.path("main_pid").asLong()).isEqualTo(999999);
        assertThat(after.path("detail").asText()).isEqualTo("running");

        ipc.call(IpcMethods.SERVICE_START, null);
        ipc.call(IpcMethods.SERVICE_RESTART, null);
        assertThat(runner.changes()).contains("systemctl start steep-repl.service", "systemctl restart steep-repl.service");

        ipc.call(IpcMethods.SERVICE_UNINSTALL, null);
        assertThat(file(UNIT)).doesNotExist();
        assertThat(runner.changes()).contains("systemctl disable --now steep-repl.service");
    }

    @Test
    void aDryRunShowsThePlanAndChangesNothing() throws Exception {
        List<String> tree = tree();

        JsonNode plan = ipc.call(IpcMethods.SERVICE_INSTALL, Map.of("dry_run", true, "user", true));

        assertThat(plan.path("dry_run").asBoolean()).isTrue();
        assertThat(plan.path("scope").asText()).isEqualTo("user");
        assertThat(plan.path("plan").asText()).contains("write " + USER_UNIT).contains("run: systemctl --user enable steep-repl.service");
        assertThat(tree()).isEqualTo(tree);
        assertThat(runner.changes()).isEmpty();
    }

    @Test
    void theTraysModeParameterChoosesTheScopeAndLaterCallsFindTheInstalledOne() throws Exception {
        runner.answer("id -u", 0, "1000\n");

        assertThat(ipc.call(IpcMethods.SERVICE_INSTALL, Map.of("mode", "user")).path("scope").asText()).isEqualTo("user");
        assertThat(file(USER_UNIT)).exists();

        // no scope given: the one it is installed in (the system one is not)
        assertThat(ipc.call(IpcMethods.SERVICE_STATUS, null).path("scope").asText()).isEqualTo("user");
        assertThat(ipc.call(IpcMethods.SERVICE_START, null).path("scope").asText()).isEqualTo("user");
        assertThat(runner.changes()).contains("systemctl --user start steep-repl.service");
    }

    @Test
    void refusalsArriveWithTheirCodeAndWhatToDo() throws Exception {
        IpcException notInstalled = ipc.error(IpcMethods.SERVICE_START, null);
        assertThat(notInstalled.errorCode()).isEqualTo(IpcErrorCode.SERVICE_NOT_INSTALLED);
        assertThat(notInstalled.getMessage()).contains("steep-repl install");

        IpcException launcher = ipc.error(IpcMethods.SERVICE_INSTALL, Map.of("launcher", "/nowhere/steep-repl"));
        assertThat(launcher.errorCode()).isEqualTo(IpcErrorCode.NOT_FOUND);
        assertThat(launcher.getMessage()).contains("launcher not found at /nowhere/steep-repl");

        ipc.call(IpcMethods.SERVICE_INSTALL, null);
        IpcException twice = ipc.error(IpcMethods.SERVICE_INSTALL, null);
        assertThat(twice.errorCode()).isEqualTo(IpcErrorCode.ALREADY_EXISTS);
        assertThat(twice.getMessage()).contains("already installed").contains(UNIT);

        runner.answer("id -u", 0, "1000\n");
        IpcException notRoot = ipc.error(IpcMethods.SERVICE_STOP, null);
        assertThat(notRoot.errorCode()).isEqualTo(IpcErrorCode.PERMISSION_DENIED);
        assertThat(notRoot.getMessage()).contains("needs root: run with sudo").contains("\"user\": true").contains("alice");
    }

    @Test
    void aFailingCommandIsReportedWithItsOutputAndTheUnitIsRolledBack() throws Exception {
        runner.answer("systemctl enable", 1, "Failed to enable unit: boom");

        IpcException e = ipc.error(IpcMethods.SERVICE_INSTALL, null);

        assertThat(e.errorCode()).isEqualTo(IpcErrorCode.OPERATION_FAILED);
        assertThat(e.getMessage()).contains("systemctl enable steep-repl.service").contains("exit 1").contains("boom");
        assertThat(file(UNIT)).doesNotExist();
    }

    @Test
    void noServiceManagerIsUnavailable() throws Exception {
        Files.delete(file("/run/systemd/system"));

        IpcException e = ipc.error(IpcMethods.SERVICE_INSTALL, null);

        assertThat(e.errorCode()).isEqualTo(IpcErrorCode.UNAVAILABLE);
        assertThat(e.getMessage()).contains("systemd is not running");
    }

    @Test
    void badParametersAreNamed() {
        assertInvalid(IpcMethods.SERVICE_INSTALL, Map.of("config", "steep.yaml"), "params.config must be an absolute path");
        assertInvalid(IpcMethods.SERVICE_START, Map.of("config", "/etc/steep/config.yaml"), "for service.install only");
        assertInvalid(IpcMethods.SERVICE_STATUS, Map.of("user", "yes"), "params.user must be true or false");
        assertInvalid(IpcMethods.SERVICE_INSTALL, Map.of("dry_run", 1), "params.dry_run must be true or false");
        assertInvalid(IpcMethods.SERVICE_INSTALL, Map.of("mode", "global"), "params.mode must be \"system\" or \"user\"");
        assertInvalid(IpcMethods.SERVICE_INSTALL, Map.of("mode", "user", "user", false), "disagree");
        assertThat(runner.changes()).isEmpty();
    }

    @Test
    void stoppingAnotherProcessHappensBeforeTheAnswer() throws Exception {
        ipc.call(IpcMethods.SERVICE_INSTALL, null);
        runner.answer("systemctl show", 0, "UnitFileState=enabled\nActiveState=active\nMainPID=999999\n");

        JsonNode stopped = ipc.call(IpcMethods.SERVICE_STOP, null);

        assertThat(stopped.path("scheduled").asBoolean(true)).isFalse();
        assertThat(runner.changes()).contains("systemctl stop steep-repl.service");
    }

    @Test
    void stoppingTheServiceThatIsThisDaemonAnswersFirstAndStopsAfterwards() throws Exception {
        ipc.call(IpcMethods.SERVICE_INSTALL, null);
        runner.answer("systemctl show", 0, "UnitFileState=enabled\nActiveState=active\nMainPID="
                + ProcessHandle.current().pid() + "\n");

        JsonNode answer = ipc.call(IpcMethods.SERVICE_STOP, null);

        assertThat(answer.path("scheduled").asBoolean()).isTrue();
        assertThat(answer.path("message").asText()).contains("this daemon is the service").contains("after this answer");
        awaitCommand("systemctl stop steep-repl.service");

        // the checks of a real run still answer as errors, before anything is scheduled
        runner.answer("id -u", 0, "1000\n");
        assertThat(ipc.error(IpcMethods.SERVICE_RESTART, null).errorCode()).isEqualTo(IpcErrorCode.PERMISSION_DENIED);
    }

    private void awaitCommand(String line) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (runner.changes().contains(line)) {
                    return;
                }
            } catch (RuntimeException concurrentlyRecorded) {
                // the recording list is being appended to by the scheduled operation: look again
            }
            Thread.sleep(50);
        }
        throw new AssertionError(line + " was never run; ran: " + runner.lines());
    }

    private void assertInvalid(String method, Object params, String message) {
        IpcException e = ipc.error(method, params);
        assertThat(e.errorCode()).as(method + " " + params).isEqualTo(IpcErrorCode.INVALID_PARAMS);
        assertThat(e.getMessage()).as(method + " " + params).contains(message);
    }

    private List<String> tree() throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
