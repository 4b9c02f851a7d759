package io.steep.repl.daemon.service;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcrunCommandTest {

    private static final String HOME = "C:\\Program Files\\steep-repl";

    private static ProcrunCommand command() {
        return new ProcrunCommand(HOME + "\\prunsrv.exe", HOME + "\\runtime\\bin\\server\\jvm.dll",
                List.of(HOME + "\\app\\a.jar", HOME + "\\app\\b.jar"), HOME, "C:\\ProgramData\\steep\\config.yaml",
                "C:\\ProgramData\\steep\\logs", "C:\\ProgramData\\steep\\data");
    }

    @Test
    void installRegistersAnAutomaticJvmModeServiceWithTheStopEntryPoint() {
        List<String> argv = command().installArgv();

        assertThat(argv.subList(0, 2)).containsExactly(HOME + "\\prunsrv.exe", "//IS//steep-repl");
        assertThat(argv).contains(
                "--Startup=auto",
                "--Jvm=" + HOME + "\\runtime\\bin\\server\\jvm.dll",
                "--Classpath=" + HOME + "\\app\\a.jar;" + HOME + "\\app\\b.jar",
                "--StartMode=jvm",
                "--StartClass=io.steep.repl.daemon.Main",
                "--StartMethod=main",
                "--StartParams=run;--config;C:\\ProgramData\\steep\\config.yaml",
                "--StopMode=jvm",
                "--StopClass=io.steep.repl.daemon.service.WindowsServiceStop",
                "--StopMethod=stop",
                "--LogPath=C:\\ProgramData\\steep\\logs",
                "--StdOutput=auto",
                "--StdError=auto");
        assertThat(argv).anyMatch(a -> a.startsWith("--JvmOptions=") && a.contains("-Xrs")
                && a.contains("-Dsteep.repl.home=" + HOME));
        // the launchers' Java 9+ options, so the service starts like bin/steep-repl does
        assertThat(argv).contains("--JvmOptions9=--enable-native-access=ALL-UNNAMED;--sun-misc-unsafe-memory-access=allow");
    }

    @Test
    void stopClassAndMethodExist() throws Exception {
        // procrun finds them by name: a rename must break this test, not the service
        assertThat(WindowsServiceStop.class.getMethod("stop", String[].class).getModifiers() & java.lang.reflect.Modifier.STATIC)
                .isNotZero();
        assertThat(Class.forName("io.steep.repl.daemon.service.WindowsServiceStop")).isNotNull();
    }

    @Test
    void failureRestartIsASeparateScCommand() {
        assertThat(ProcrunCommand.failureActionsArgv()).containsExactly("sc.exe", "failure", "steep-repl",
                "reset=", "86400", "actions=", "restart/5000/restart/5000/restart/30000");
        assertThat(WindowsCommandLine.render(ProcrunCommand.failureActionsArgv()))
                .isEqualTo("sc.exe failure steep-repl reset= 86400 actions= restart/5000/restart/5000/restart/30000");
        assertThat(command().deleteArgv()).containsExactly(HOME + "\\prunsrv.exe", "//DS//steep-repl");
    }

    @Test
    void renderedCommandLineQuotesEveryPathWithSpaces() {
        String line = WindowsCommandLine.render(command().installArgv());

        assertThat(line).startsWith("\"C:\\Program Files\\steep-repl\\prunsrv.exe\" //IS//steep-repl ");
        assertThat(line).contains(" \"--Jvm=C:\\Program Files\\steep-repl\\runtime\\bin\\server\\jvm.dll\" ");
        assertThat(line).contains(" --StartMode=jvm ");
        assertThat(line).contains(" --StartParams=run;--config;C:\\ProgramData\\steep\\config.yaml ");
        assertThat(line).contains(" \"--Description=steep-repl replication coordinator for PostgreSQL\" ");
    }

    @Test
    void windowsQuotingFollowsTheArgvRules() {
        assertThat(WindowsCommandLine.quote("plain")).isEqualTo("plain");
        assertThat(WindowsCommandLine.quote("")).isEqualTo("\"\"");
        assertThat(WindowsCommandLine.quote("C:\\Program Files\\x")).isEqualTo("\"C:\\Program Files\\x\"");
        // backslashes are literal unless they precede a quote
        assertThat(WindowsCommandLine.quote("C:\\no space\\")).isEqualTo("\"C:\\no space\\\\\"");
        assertThat(WindowsCommandLine.quote("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
        assertThat(WindowsCommandLine.quote("a\\\"b")).isEqualTo("\"a\\\\\\\"b\"");
        assertThat(WindowsCommandLine.quote("C:\\dir\\file")).isEqualTo("C:\\dir\\file");
    }

    @Test
    void quotingRoundTripsThroughTheArgvParser() {
        List<String> argv = List.of("C:\\Program Files\\a b\\", "say \"hi\"", "a\\\\\"b", "", "x\ty", "\\\\server\\share");
        assertThat(parseLikeCommandLineToArgvW(WindowsCommandLine.render(argv))).isEqualTo(argv);
    }

    @Test
    void anAotCacheIsPassedWithTheOptionsTheLaunchersUseAndOnlyWhenThereIsOne() {
        ProcrunCommand plain = command();
        ProcrunCommand cached = new ProcrunCommand(plain.prunsrv(), plain.jvmDll(), plain.classpath(), HOME,
                plain.configFile(), plain.logDir(), plain.workingDir(), HOME + "\\steep-repl.aot");
        String options = cached.installArgv().stream().filter(a -> a.startsWith("--JvmOptions=")).findFirst().orElseThrow();
        assertThat(options).endsWith(";-XX:AOTCache=" + HOME + "\\steep-repl.aot;-XX:+UnlockDiagnosticVMOptions;-XX:-AOTReplayTraining");
        assertThat(plain.installArgv()).noneMatch(a -> a.contains("AOT"));
        assertThatThrownBy(() -> new ProcrunCommand("p.exe", "jvm.dll", List.of("a.jar"), "C:\\x", "C:\\c.yaml", "C:\\l",
                "C:\\d", "C:\\a;b\\steep-repl.aot")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("';' or '#'");
    }

    @Test
    void pathsProcrunWouldSplitAreRefused() {
        assertThatThrownBy(() -> new ProcrunCommand("p.exe", "jvm.dll", List.of("a.jar"), "C:\\x", "C:\\conf;ig.yaml", "C:\\l", "C:\\d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("';' or '#'");
        assertThatThrownBy(() -> new ProcrunCommand("p.exe", "jvm.dll", List.of("C:\\#lib\\a.jar"), "C:\\x", "C:\\c.yaml", "C:\\l", "C:\\d"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The MSVC runtime's splitting rules (post-2008), written independently of the quoting code under test. */
    static List<String> parseLikeCommandLineToArgvW(String line) {
        List<String> args = new java.util.ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            StringBuilder arg = new StringBuilder();
            boolean inQuotes = false;
            while (i < n) {
                char c = line.charAt(i);
                if (!inQuotes && (c == ' ' || c == '\t')) {
                    break;
                }
                if (c == '\\') {
                    int slashes = 0;
                    while (i < n && line.charAt(i) == '\\') {
                        slashes++;
                        i++;
                    }
                    if (i < n && line.charAt(i) == '"') {
                        arg.append("\\".repeat(slashes / 2));
                        if (slashes % 2 == 1) {
                            arg.append('"');
                            i++;
                        }
                    } else {
                        arg.append("\\".repeat(slashes));
                    }
                    continue;
                }
                if (c == '"') {
                    if (inQuotes && i + 1 < n && line.charAt(i + 1) == '"') {
                        arg.append('"');
                        i += 2;
                        continue;
                    }
                    inQuotes = !inQuotes;
                    i++;
                    continue;
                }
                arg.append(c);
                i++;
            }
            args.add(arg.toString());
        }
        return args;
    }
}
