package io.steep.repl.tray;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** What the tray says, and how it exits, when it cannot start: a wrong command line, no display, a dead display. */
class TrayStartRefusalsTest {

    @Test
    void unknownArgumentsAndMissingValuesAreNamed() {
        assertThat(TrayApp.commandLineProblem(List.of("--socket", "/run/x.sock", "--no-tray"))).isEmpty();
        assertThat(TrayApp.commandLineProblem(List.of("--sokcet", "/run/x.sock"))).contains("unknown argument --sokcet");
        assertThat(TrayApp.commandLineProblem(List.of("--socket"))).contains("--socket needs a value");
        assertThat(TrayApp.commandLineProblem(List.of("--socket", "--no-tray"))).contains("--socket needs a value");
        assertThat(TrayApp.commandLineProblem(List.of("extra"))).contains("unknown argument extra");
    }

    @Test
    void linuxNeedsAnX11Display() {
        assertThat(TrayApp.displayProblem("Linux", Map.of())).get().asString().contains("DISPLAY is not set", "desktop session");
        assertThat(TrayApp.displayProblem("Linux", Map.of("DISPLAY", " "))).isPresent();
        assertThat(TrayApp.displayProblem("Linux", Map.of("DISPLAY", ":0"))).isEmpty();
        // AWT and JavaFX's GTK glass draw through X11: a Wayland session serves them through XWayland's DISPLAY
        assertThat(TrayApp.displayProblem("Linux", Map.of("WAYLAND_DISPLAY", "wayland-0"))).get().asString().contains("XWayland");
        assertThat(TrayApp.displayProblem("Linux", Map.of("WAYLAND_DISPLAY", "wayland-0", "DISPLAY", ":1"))).isEmpty();
        assertThat(TrayApp.displayProblem("Windows 11", Map.of())).isEmpty();
        assertThat(TrayApp.displayProblem("Mac OS X", Map.of())).isEmpty();
    }

    @Test
    void aWrongCommandLineExits64WithTheUsage() throws Exception {
        Started r = start(Map.of("DISPLAY", ":0"), "--sokcet", "/tmp/x.sock");

        assertThat(r.exit).isEqualTo(64);
        assertThat(r.output).contains("steep-repl-tray: unknown argument --sokcet", "Usage: steep-repl-tray");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void withoutADisplayItSaysSoInsteadOfAStackTrace() throws Exception {
        Started r = start(Map.of());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output).contains("no display", "inside a desktop session").doesNotContain("Exception", "\tat ");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aDisplayNobodyServesIsNamed() throws Exception {
        Started r = start(Map.of("DISPLAY", ":97")); // no X server on :97

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output).contains("cannot open the display :97", "desktop session").doesNotContain("Exception in thread");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void withoutTheTrayIconGtkFindsTheDeadDisplayAndItIsNamedAsWell() throws Exception {
        Started r = start(Map.of("DISPLAY", ":97"), "--no-tray");

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output).contains("cannot open the display :97", "Unable to open DISPLAY").doesNotContain("Exception in thread");
    }

    private record Started(int exit, String output) {
    }

    /** TrayApp in its own JVM with the launcher's options and exactly {@code display} as its display variables. */
    private static Started start(Map<String, String> display, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(RealDisplayTrayTest.launcherOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TrayApp.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeAll(List.of("DISPLAY", "WAYLAND_DISPLAY", "JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(display);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("tray exited; output:\n" + out).isTrue();
        return new Started(p.exitValue(), out);
    }
}
