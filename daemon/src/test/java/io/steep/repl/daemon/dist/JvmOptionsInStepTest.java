package io.steep.repl.daemon.dist;

import io.steep.repl.daemon.service.ProcrunCommand;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's JVM options are spelled in five places: the sh and bat launchers, the AOT training in the pom (the
 * cache is only used by a JVM started with the options it was trained with), the installers' app image and the
 * Windows service's procrun registration. They drifted once (the service had lost two of them); this reads each
 * place as shipped and holds them to one set.
 */
class JvmOptionsInStepTest {

    private static final Path DAEMON = Path.of("").toAbsolutePath();

    private static String read(String relative) throws IOException {
        return Files.readString(DAEMON.resolve(relative));
    }

    private static Set<String> options(String text) {
        return new TreeSet<>(Arrays.asList(text.trim().split("\\s+")));
    }

    private static String group(String text, String regex, String where) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertThat(m.find()).as("the JVM options line in " + where).isTrue();
        return m.group(1);
    }

    @Test
    void everyLauncherOfTheDaemonStartsItsJvmWithTheSameOptions() throws IOException {
        Set<String> sh = options(group(read("src/main/dist/bin/steep-repl"), "^DEFAULT_OPTS=\"([^\"]+)\"", "bin/steep-repl"));
        Set<String> bat = options(group(read("src/main/dist/bin/steep-repl.bat"), "^\"%JAVA%\" (.+?) %AOT%", "steep-repl.bat"));
        Set<String> training = options(group(read("pom.xml"), "<arg line=\"(-Xms[^\"]+)\"/>", "the pom's AOT training"));
        Set<String> appImage = options(group(read("../installers/build-app-image.sh"), "^daemon_opts=\"([^\"]+)\"",
                "installers/build-app-image.sh"));

        assertThat(sh).contains("-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "--enable-native-access=ALL-UNNAMED");
        assertThat(bat).as("steep-repl.bat").isEqualTo(sh);
        assertThat(training).as("the AOT training (daemon/pom.xml)").isEqualTo(sh);
        assertThat(appImage).as("the installers' app image").isEqualTo(sh);
        assertThat(procrunOptions()).as("the Windows service").isEqualTo(sh);
    }

    /**
     * Linux adds transparent huge pages and the periodic trim of glibc's heap (options only Linux JVMs use, so
     * neither the bat file, procrun nor the training has them; the AOT cache depends on neither): the plain
     * launcher's two Linux lines and the Linux app image add the same options, and never without the settings that
     * keep a host without THP, or a JVM that cannot trim, from warning at every start.
     */
    @Test
    void theLinuxLaunchersAddTheSameLinuxOptions() throws IOException {
        String launcher = read("src/main/dist/bin/steep-repl");
        Set<String> sh = options(group(launcher,
                "^if \\[ -e /sys/kernel/mm/transparent_hugepage/enabled \\]; then DEFAULT_OPTS=\"\\$DEFAULT_OPTS ([^\"]+)\"",
                "bin/steep-repl's huge-page line"));
        sh.addAll(options(group(launcher,
                "^if \\[ -e /proc/sys/kernel/osrelease \\]; then DEFAULT_OPTS=\"\\$DEFAULT_OPTS ([^\"]+)\"",
                "bin/steep-repl's native-trim line")));
        Set<String> appImage = options(group(read("../installers/build-app-image.sh"),
                "^\\[ \\$os = linux \\] && daemon_opts=\"\\$daemon_opts ([^\"]+)\"", "build-app-image.sh's Linux line"));

        assertThat(sh).containsExactlyInAnyOrder("-XX:+UseTransparentHugePages", "-Xlog:pagesize=error",
                "-XX:TrimNativeHeapInterval=2000", "-Xlog:trimnative=error");
        assertThat(appImage).as("the Linux app image").isEqualTo(sh);
    }

    /** The JVM options procrun passes, spelled as on a java command line (its own -Xrs and the home property aside). */
    private static Set<String> procrunOptions() {
        List<String> argv = new ProcrunCommand("C:\\app\\prunsrv.exe", "C:\\app\\runtime\\bin\\server\\jvm.dll",
                List.of("C:\\app\\app\\a.jar"), "C:\\app", "C:\\conf\\steep-repl.yaml", "C:\\logs", "C:\\data").installArgv();
        List<String> out = new ArrayList<>();
        for (String a : argv) {
            if (a.startsWith("--JvmOptions=") || a.startsWith("--JvmOptions9=")) {
                out.addAll(Arrays.asList(a.substring(a.indexOf('=') + 1).split(";")));
            } else if (a.startsWith("--JvmMs=")) {
                out.add("-Xms" + a.substring("--JvmMs=".length()) + "m");
            } else if (a.startsWith("--JvmMx=")) {
                out.add("-Xmx" + a.substring("--JvmMx=".length()) + "m");
            }
        }
        out.removeIf(o -> o.equals("-Xrs") || o.startsWith("-Dsteep.repl.home="));
        return new TreeSet<>(out);
    }
}
