package io.steep.repl.daemon.service;

import io.steep.repl.daemon.service.ServiceManager.Operation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowsServiceManagerTest {

    private static final String APP = "C:\\Program Files\\steep-repl";

    @TempDir
    Path root;
    RecordingRunner runner;
    ServiceHost host;
    ServiceControl control;

    @BeforeEach
    void windowsWithTheMsiInstalled() throws Exception {
        runner = new RecordingRunner().answer("sc.exe query", 1060, "The specified service does not exist as an installed service.");
        host = ScratchHosts.windows(root, runner);
        for (String f : List.of(APP + "\\steep-repl.exe", APP + "\\prunsrv.exe", APP + "\\runtime\\bin\\server\\jvm.dll",
                APP + "\\app\\steep-repl-daemon-0.1.0.jar", APP + "\\app\\picocli-4.7.7.jar")) {
            Files.createDirectories(host.file(f).getParent());
            Files.writeString(host.file(f), "x");
        }
        control = new ServiceControl(host);
    }

    @Test
    void installRegistersWithProcrunAndSetsFailureRestart() {
        control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());

        List<Command> changes = runner.calls().stream().filter(c -> !c.argv().getFirst().equals("net")
                && !String.join(" ", c.argv()).startsWith("sc.exe query")).toList();
        assertThat(changes).hasSize(3);
        assertThat(changes.get(0).argv()).isEqualTo(new ProcrunCommand(APP + "\\prunsrv.exe",
                APP + "\\runtime\\bin\\server\\jvm.dll",
                List.of(APP + "\\app\\picocli-4.7.7.jar", APP + "\\app\\steep-repl-daemon-0.1.0.jar"), APP,
                "C:\\ProgramData\\steep\\config.yaml", "C:\\ProgramData\\steep\\logs", "C:\\ProgramData\\steep\\data").installArgv());
        assertThat(changes.get(1).argv()).isEqualTo(ProcrunCommand.failureActionsArgv());
        assertThat(changes.get(2).argv()).isEqualTo(ProcrunCommand.failureFlagArgv());
        assertThat(host.file("C:\\ProgramData\\steep\\logs")).isDirectory();
    }

    @Test
    void theMsisServiceGetsTheLaunchersClassPathOrderAndItsAotCache() throws Exception {
        // what jpackage and `steep-repl aot-cache` leave: the cfg names the main jar first; the cache beside the exe
        Files.writeString(host.file(APP + "\\app\\steep-repl.cfg"), """
                [Application]\r
                app.classpath=$APPDIR\\steep-repl-daemon-0.1.0.jar\r
                app.mainclass=io.steep.repl.daemon.Main\r
                app.classpath=$APPDIR\\picocli-4.7.7.jar\r
                """);
        Files.writeString(host.file(APP + "\\steep-repl.aot"), "cache");

        control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults());

        List<String> argv = runner.calls().stream().map(Command::argv).filter(a -> a.contains("//IS//steep-repl"))
                .findFirst().orElseThrow();
        assertThat(argv).isEqualTo(new ProcrunCommand(APP + "\\prunsrv.exe", APP + "\\runtime\\bin\\server\\jvm.dll",
                List.of(APP + "\\app\\steep-repl-daemon-0.1.0.jar", APP + "\\app\\picocli-4.7.7.jar"), APP,
                "C:\\ProgramData\\steep\\config.yaml", "C:\\ProgramData\\steep\\logs", "C:\\ProgramData\\steep\\data",
                APP + "\\steep-repl.aot").installArgv());
    }

    @Test
    void controlUsesNetAndUninstallUsesProcrun() {
        runner.answer("sc.exe query", 0, "STATE : 4 RUNNING");
        for (Operation op : new Operation[]{Operation.START, Operation.STOP, Operation.RESTART, Operation.UNINSTALL}) {
            control.perform(op, ServiceScope.SYSTEM, InstallOptions.defaults());
        }
        assertThat(runner.changes()).containsExactly("net start steep-repl", "net stop steep-repl",
                "net stop steep-repl", "net start steep-repl", APP + "\\prunsrv.exe //DS//steep-repl");
    }

    @Test
    void errorPaths() throws Exception {
        assertThatThrownBy(() -> control.perform(Operation.INSTALL, ServiceScope.USER, InstallOptions.defaults()))
                .hasMessageContaining("Windows services are machine-wide")
                .extracting(e -> ((ServiceException) e).reason()).isEqualTo(ServiceException.Reason.UNSUPPORTED);
        assertThatThrownBy(() -> control.perform(Operation.START, ServiceScope.SYSTEM, InstallOptions.defaults()))
                .hasMessage("steep-repl is not installed as a service; run `steep-repl install` first");

        Files.delete(host.file(APP + "\\prunsrv.exe"));
        assertThatThrownBy(() -> control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults()))
                .hasMessageContaining("prunsrv.exe not found at " + APP + "\\prunsrv.exe");
        assertThatThrownBy(() -> control.perform(Operation.INSTALL, ServiceScope.SYSTEM,
                new InstallOptions(Optional.empty(), Optional.of("D:\\gone\\steep-repl.exe"))))
                .hasMessage("launcher not found at D:\\gone\\steep-repl.exe; reinstall or pass --launcher PATH");

        runner.answer("sc.exe query", 0, "STATE : 1 STOPPED");
        Files.writeString(host.file(APP + "\\prunsrv.exe"), "x");
        assertThatThrownBy(() -> control.perform(Operation.INSTALL, ServiceScope.SYSTEM, InstallOptions.defaults()))
                .hasMessageContaining("already installed (service steep-repl)");

        runner.answer("net session", 2, "System error 5 has occurred. Access is denied.");
        assertThatThrownBy(() -> control.perform(Operation.STOP, ServiceScope.SYSTEM, InstallOptions.defaults()))
                .hasMessageContaining("needs an elevated prompt")
                .extracting(e -> ((ServiceException) e).reason()).isEqualTo(ServiceException.Reason.NOT_PRIVILEGED);
        assertThat(runner.changes()).isEmpty();
    }

    @Test
    void statusParsesScQueryex() {
        long pid = ProcessHandle.current().pid();
        runner.answer("sc.exe queryex", 0, """
                SERVICE_NAME: steep-repl
                        TYPE               : 10  WIN32_OWN_PROCESS
                        STATE              : 4  RUNNING
                        WIN32_EXIT_CODE    : 0  (0x0)
                        PID                : %d
                """.formatted(pid));
        runner.answer("sc.exe qc", 0, "        START_TYPE         : 2   AUTO_START\n");
        ServiceStatus s = control.status(false);
        assertThat(s.installed()).isTrue();
        assertThat(s.enabled()).isTrue();
        assertThat(s.state()).isEqualTo(ServiceStatus.State.ACTIVE);
        assertThat(s.mainPid()).isEqualTo(pid);

        runner.answer("sc.exe queryex", 0, "STATE : 1  STOPPED\nWIN32_EXIT_CODE : 1066 (0x42a)\nPID : 0\n");
        assertThat(control.status(false).state()).isEqualTo(ServiceStatus.State.FAILED);
        runner.answer("sc.exe queryex", 1060, "does not exist");
        assertThat(control.status(false).installed()).isFalse();
    }
}
