package io.steep.repl.tray;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tray app on a real X server (Xvfb) with GTK and AWT, as on a Linux desktop — the other UI tests run JavaFX
 * headless on Monocle, where neither GTK nor AWT's X11 toolkit runs. AWT's toolkit started from inside GTK's
 * main loop once replaced Xlib's error handler under a pushed GDK error trap (a Gdk-WARNING at every start, and a
 * SIGSEGV with a corrupted heap under xvfb-run); the tray now starts AWT first. Each case waits for its window to
 * appear on the X server, then holds the process to a clean stderr.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "X11: GTK and AWT's XToolkit together are a Linux matter")
class RealDisplayTrayTest {

    static Process xvfb;
    static String display;

    @TempDir
    Path tmp;

    @BeforeAll
    static void xServer() throws Exception {
        for (String tool : List.of("/usr/bin/Xvfb", "/usr/bin/xwininfo", "/usr/bin/trayer")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " missing: bash .ci/install-test-deps.sh installs it");
        }
        // -displayfd: Xvfb picks a free display and writes its number once it accepts connections
        xvfb = new ProcessBuilder("/usr/bin/Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.US_ASCII));
        String number = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        assertThat(number).as("Xvfb's display number").matches("\\d+");
        display = ":" + number;
    }

    @AfterAll
    static void stopXServer() throws InterruptedException {
        if (xvfb != null) {
            xvfb.destroy();
            xvfb.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withATrayHostTheIconDocksAndNothingCrashes() throws Exception {
        ProcessBuilder tb = new ProcessBuilder("/usr/bin/trayer", "--edge", "top", "--align", "right", "--widthtype",
                "request", "--height", "28").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        tb.environment().put("DISPLAY", display);
        Process trayer = tb.start();
        trayer.getOutputStream().close();
        try {
            waitForWindow("\"panel\"", null); // trayer's own, before the app looks for a tray
            // the icon is AWT's embedded frame, docked in trayer's panel
            runTrayUntil("\"JavaEmbeddedFrame\"");
        } finally {
            trayer.destroy();
            trayer.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutATrayHostTheDashboardIsTheMainWindow() throws Exception {
        runTrayUntil("\"steep-repl\"");
    }

    /** Starts the tray app, waits for {@code window} on the X server, then checks it still runs and said nothing bad. */
    private void runTrayUntil(String window) throws Exception {
        Path err = tmp.resolve("tray.err");
        // the tray's own JVM with the plain launcher's options, from this class path, without the Monocle and
        // headless settings of this test JVM
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launcherOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TrayApp.class.getName(),
                "--socket", tmp.resolve("no-daemon.sock").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(err.toFile());
        pb.environment().put("DISPLAY", display);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process tray = pb.start();
        tray.getOutputStream().close();
        try {
            waitForWindow(window, tray);
            // GTK and AWT keep working after the window is up (the crash came in GTK's loop, after the start)
            Thread.sleep(2_000);
            String log = Files.readString(err);
            assertThat(tray.isAlive()).as("tray app still running; its output:\n" + log).isTrue();
            assertThat(log).doesNotContain("fatal error", "SIGSEGV", "Gdk-WARNING", "Gdk-CRITICAL", "Exception",
                    "SLF4J(W)", "Unsupported JavaFX configuration");
        } finally {
            tray.destroy();
            tray.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** {@code DEFAULT_OPTS} of the plain distribution's launcher ({@code src/main/dist/bin/steep-repl-tray}). */
    static List<String> launcherOptions() throws IOException {
        Matcher m = Pattern.compile("^DEFAULT_OPTS=\"([^\"]+)\"", Pattern.MULTILINE)
                .matcher(Files.readString(Path.of("src/main/dist/bin/steep-repl-tray")));
        assertThat(m.find()).as("DEFAULT_OPTS in bin/steep-repl-tray").isTrue();
        return List.of(m.group(1).trim().split("\\s+"));
    }

    /** Polls the X server's window tree until a window named {@code name} exists (30 s at most). */
    private static void waitForWindow(String name, Process app) throws Exception {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            Process p = new ProcessBuilder("/usr/bin/xwininfo", "-display", display, "-root", "-tree")
                    .redirectErrorStream(true).start();
            String tree = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            if (tree.contains(name)) {
                return;
            }
            seen = tree.lines().filter(l -> l.contains("\"")).toList();
            if (app != null && !app.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no window " + name + " on " + display + (app != null && !app.isAlive()
                ? " (the app exited with " + app.exitValue() + ")" : "") + "; windows: " + seen);
    }
}
