package io.steep.repl.daemon.aot;

import io.steep.repl.daemon.fs.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;

/**
 * A jpackage launcher's {@code .cfg} (an INI file: {@code [Application]} with {@code app.classpath=} lines,
 * {@code [JavaOptions]} with {@code java-options=} lines), as far as the AOT cache touches it: the three options
 * that name the cache, added at the end of {@code [JavaOptions]} and taken out again, nothing else changed. Written
 * by replacing the file, so a crash leaves the old or the new file, never half of one, and with the line endings it
 * had (jpackage writes CRLF on Windows).
 */
public final class LauncherCfg {

    static final String OPTION = "java-options=";
    static final String CACHE = OPTION + "-XX:AOTCache=";
    /**
     * Without a training replay: the cache holds no method profiles (recorded with {@code -XX:-AOTRecordTraining}),
     * yet the JVM's replay thread is woken at every class initialisation to look for some (~30 ms of CPU per start;
     * bin/steep-repl does the same).
     */
    static final List<String> AFTER_CACHE = List.of(OPTION + "-XX:+UnlockDiagnosticVMOptions", OPTION + "-XX:-AOTReplayTraining");

    private final List<String> lines;
    private final String newline;

    private LauncherCfg(List<String> lines, String newline) {
        this.lines = List.copyOf(lines);
        this.newline = newline;
    }

    public static LauncherCfg parse(String text) {
        String newline = text.contains("\r\n") ? "\r\n" : "\n";
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast(); // the final newline
        }
        return new LauncherCfg(lines, newline);
    }

    public static LauncherCfg read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public String text() {
        return String.join(newline, lines) + newline;
    }

    public List<String> lines() {
        return lines;
    }

    /** The {@code app.classpath} entries in their order (jpackage: the main jar first), tokens unexpanded. */
    public List<String> classPath() {
        return lines.stream().filter(l -> l.startsWith("app.classpath=")).map(l -> l.substring("app.classpath=".length()))
                .toList();
    }

    /** Whether the cfg passes exactly this cache, with the options that go with it. */
    public boolean hasCache(String cfgCachePath) {
        int at = lines.indexOf(CACHE + cfgCachePath);
        return at >= 0 && at + AFTER_CACHE.size() < lines.size()
                && lines.subList(at + 1, at + 1 + AFTER_CACHE.size()).equals(AFTER_CACHE);
    }

    /** This cfg without any {@code -XX:AOTCache} option and the two options this class adds after one. */
    public LauncherCfg withoutCache() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(CACHE)) {
                int end = i + 1 + AFTER_CACHE.size();
                if (end <= lines.size() && lines.subList(i + 1, end).equals(AFTER_CACHE)) {
                    i = end - 1;
                }
                continue;
            }
            out.add(lines.get(i));
        }
        return new LauncherCfg(out, newline);
    }

    /** This cfg passing {@code cfgCachePath} (a cache it named before is replaced), at the end of [JavaOptions]. */
    public LauncherCfg withCache(String cfgCachePath) {
        List<String> out = new ArrayList<>(withoutCache().lines);
        List<String> block = new ArrayList<>();
        block.add(CACHE + cfgCachePath);
        block.addAll(AFTER_CACHE);
        int section = out.indexOf("[JavaOptions]");
        if (section < 0) {
            if (!out.isEmpty() && !out.getLast().isBlank()) {
                out.add("");
            }
            out.add("[JavaOptions]");
            out.addAll(block);
            return new LauncherCfg(out, newline);
        }
        int end = section + 1;
        while (end < out.size() && !out.get(end).startsWith("[")) {
            end++;
        }
        while (end > section + 1 && out.get(end - 1).isBlank()) {
            end--; // before the blank lines that separate it from the next section
        }
        out.addAll(end, block);
        return new LauncherCfg(out, newline);
    }

    /** Replaces {@code file} with this text: a temporary file beside it, flushed, then renamed over it. */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(tmp, text(), StandardCharsets.UTF_8);
        try {
            if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
            }
            DurableFiles.replace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
