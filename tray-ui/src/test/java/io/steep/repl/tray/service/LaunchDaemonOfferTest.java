package io.steep.repl.tray.service;

import io.steep.repl.tray.service.LaunchDaemonOffer.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LaunchDaemonOfferTest {

    static final Optional<Path> DAEMON = Optional.of(Path.of("/Applications/steep-repl.app/Contents/MacOS/steep-repl"));

    @Test
    void offersOnlyOnMacFromABundleWithoutPlistAndNotDeclined() {
        assertThat(LaunchDaemonOffer.decide("Mac OS X", DAEMON, false, false)).isEqualTo(Decision.OFFER);
        assertThat(LaunchDaemonOffer.decide("Linux", DAEMON, false, false)).isEqualTo(Decision.NOT_MACOS);
        assertThat(LaunchDaemonOffer.decide("Windows 11", DAEMON, false, false)).isEqualTo(Decision.NOT_MACOS);
        assertThat(LaunchDaemonOffer.decide("Mac OS X", Optional.empty(), false, false)).isEqualTo(Decision.NOT_IN_APP_BUNDLE);
        assertThat(LaunchDaemonOffer.decide("Mac OS X", DAEMON, true, false)).isEqualTo(Decision.ALREADY_INSTALLED);
        assertThat(LaunchDaemonOffer.decide("Mac OS X", DAEMON, false, true)).isEqualTo(Decision.DECLINED);
        // an installed service wins over an old "don't ask again": nothing to offer either way
        assertThat(LaunchDaemonOffer.decide("Mac OS X", DAEMON, true, true)).isEqualTo(Decision.ALREADY_INSTALLED);
    }

    @Test
    void findsTheDaemonNextToTheTrayOnlyInsideAnAppBundle() {
        assertThat(LaunchDaemonOffer.bundledDaemon("/Applications/steep-repl.app/Contents/MacOS/steep-repl-tray")).isEqualTo(DAEMON);
        assertThat(LaunchDaemonOffer.bundledDaemon("/Users/a b/Apps/steep-repl.app/Contents/MacOS/steep-repl-tray"))
                .contains(Path.of("/Users/a b/Apps/steep-repl.app/Contents/MacOS/steep-repl"));
        assertThat(LaunchDaemonOffer.bundledDaemon("/opt/steep-repl/bin/steep-repl-tray")).isEmpty();
        assertThat(LaunchDaemonOffer.bundledDaemon("/tmp/x/Contents/MacOS/steep-repl-tray")).isEmpty();
        assertThat(LaunchDaemonOffer.bundledDaemon(null)).isEmpty();
        assertThat(LaunchDaemonOffer.bundledDaemon("")).isEmpty();
    }

    @Test
    void declineIsRememberedInTheAppSupportDir(@TempDir Path home) throws Exception {
        Path dir = LaunchDaemonOffer.appSupportDir(home.toString());
        assertThat(dir).isEqualTo(home.resolve("Library/Application Support/steep"));
        assertThat(LaunchDaemonOffer.declined(dir)).isFalse();
        LaunchDaemonOffer.rememberDecline(dir);
        assertThat(LaunchDaemonOffer.declined(dir)).isTrue();
        assertThat(Files.readString(dir.resolve(LaunchDaemonOffer.DECLINED_FILE))).contains("Delete it to be asked again");
    }

    @Test
    void commandIsOsascriptWithAdministratorPrivileges() {
        List<String> argv = LaunchDaemonOffer.installCommand(DAEMON.get());
        assertThat(argv).containsExactly("osascript", "-e", "do shell script \""
                + "'/Applications/steep-repl.app/Contents/MacOS/steep-repl' install && "
                + "'/Applications/steep-repl.app/Contents/MacOS/steep-repl' start\" with administrator privileges");
    }

    /**
     * The escaping, end to end: undo the AppleScript literal the way AppleScript reads it, run the shell line with sh,
     * and check a fake daemon in a directory with spaces, quotes and a backslash got exactly "install" then "start".
     */
    @Test
    void awkwardPathsSurviveBothLayersOfQuoting(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("My \"odd\" app's \\ dir $HOME `x`/steep-repl.app/Contents/MacOS"));
        Path daemon = dir.resolve("steep-repl");
        Path log = tmp.resolve("calls.log");
        Files.writeString(daemon, "#!/bin/sh\nprintf '%s|' \"$@\" >> '" + log + "'\necho >> '" + log + "'\n");
        Files.setPosixFilePermissions(daemon, PosixFilePermissions.fromString("rwx------"));

        String script = LaunchDaemonOffer.installCommand(daemon).get(2);
        String prefix = "do shell script \"";
        String suffix = "\" with administrator privileges";
        assertThat(script).startsWith(prefix).endsWith(suffix);
        String shell = appleScriptUnescape(script.substring(prefix.length(), script.length() - suffix.length()));

        Process sh = new ProcessBuilder("sh", "-c", shell).redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor()).as(out).isZero();
        assertThat(Files.readAllLines(log)).containsExactly("install|", "start|");
    }

    @Test
    void quotingHelpers() {
        assertThat(LaunchDaemonOffer.shellQuote("a b")).isEqualTo("'a b'");
        assertThat(LaunchDaemonOffer.shellQuote("it's")).isEqualTo("'it'\\''s'");
        assertThat(LaunchDaemonOffer.appleScriptString("say \"hi\" \\ now")).isEqualTo("\"say \\\"hi\\\" \\\\ now\"");
    }

    /** AppleScript string literal body → text: {@code \"} and {@code \\} (the only escapes appleScriptString writes). */
    static String appleScriptUnescape(String body) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\') {
                char n = body.charAt(++i);
                assertThat(n).as("escape at " + i).isIn('\\', '"');
                out.append(n);
            } else {
                assertThat(c).as("unescaped quote at " + i).isNotEqualTo('"');
                out.append(c);
            }
        }
        return out.toString();
    }

    @Test
    void failuresSayWhatToDo() {
        assertThat(LaunchDaemonOffer.explainFailure(1, "execution error: User canceled. (-128)"))
                .contains("cancelled", "nothing was installed");
        assertThat(LaunchDaemonOffer.explainFailure(5, "error: launcher not found at /x"))
                .contains("exit 5", "launcher not found", "sudo /Applications/steep-repl.app/Contents/MacOS/steep-repl install",
                        "repl.node_id");
    }
}
