package io.steep.repl.daemon.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real file-system faults for tests: a tiny tmpfs (disk full) and a read-only bind mount (unwritable directory).
 * Both need root and a kernel that lets this process mount; where that is not so, {@link #unavailable} says why and
 * the test is skipped with that reason. (chmod 000 would not do: root ignores permission bits.)
 */
final class Mounts {

    private Mounts() {
    }

    /** Mounts a tmpfs of {@code size} (e.g. "64k") on {@code dir}; null on success, else why it is not possible here. */
    static String tmpfs(Path dir, String size) throws Exception {
        Files.createDirectories(dir);
        return run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString());
    }

    /** Makes {@code dir} a read-only view of itself; null on success, else why it is not possible here. */
    static String readOnly(Path dir) throws Exception {
        Files.createDirectories(dir);
        String why = run("mount", "--bind", dir.toString(), dir.toString());
        if (why != null) {
            return why;
        }
        why = run("mount", "-o", "remount,bind,ro", dir.toString());
        if (why != null) {
            unmount(dir);
        }
        return why;
    }

    static void unmount(Path dir) throws Exception {
        String why = run("umount", dir.toString());
        if (why != null) {
            run("umount", "-l", dir.toString());
        }
    }

    static String unavailable(String what, String why) {
        return what + " needs root and mount(2) in this environment; it failed here: " + why;
    }

    private static String run(String... cmd) throws Exception {
        if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
            return "not Linux";
        }
        Process p;
        try {
            p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return String.join(" ", cmd) + ": " + e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", cmd) + ": timed out";
        }
        return p.exitValue() == 0 ? null : String.join(" ", new ArrayList<>(List.of(cmd))) + " exited " + p.exitValue() + ": " + out;
    }
}
