package io.steep.repl.installers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code check-aot-log.sh}, which test-deb.sh and the macOS CI job trust to say whether an installed launcher uses
 * its AOT cache, against real JVM logs from the daemon's plain distribution (built before this module, with the
 * same kind of cache) — and the premise of the DMG's packaging: the cache survives a copy that keeps the files'
 * times (ditto, hdiutil, the Finder, dpkg) and is refused after one that does not (jpackage's {@code --app-image}
 * copy, a {@code cp -R}).
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "starts the plain distribution's sh launcher (Windows has the"
        + " .bat one) and reads file times as a POSIX copy leaves them; on Windows the workflow's MSI job runs"
        + " check-aot-log.sh on the installed launcher, whose cache the install made")
class AotCacheCheckTest {

    static final Path DIST = Path.of("../daemon/target/steep-repl").toAbsolutePath().normalize();
    static final Path SCRIPT = Path.of("check-aot-log.sh").toAbsolutePath();

    record Verdict(int exit, String output) { }

    @Test
    void theDistributionAsBuiltUsesItsCache(@TempDir Path tmp) throws Exception {
        Verdict v = check(requireDistributionWithCache(), tmp);
        assertThat(v.output()).startsWith("uses the AOT cache: ").contains("of ours)");
        assertThat(v.exit()).isZero();
    }

    @Test
    void aCopyKeepingFileTimesElsewhereStillUsesTheCache(@TempDir Path tmp) throws Exception {
        Path copy = copyTree(requireDistributionWithCache(), tmp.resolve("moved/steep-repl"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Verdict v = check(copy, tmp);
        assertThat(v.output()).startsWith("uses the AOT cache: ");
        assertThat(v.exit()).isZero();
    }

    @Test
    void aCopyWithNewFileTimesIsRefusedAndTheCheckSaysWhy(@TempDir Path tmp) throws Exception {
        Path copy = copyTree(requireDistributionWithCache(), tmp.resolve("copied/steep-repl"));
        // a copy's jars get the time of the copy; set them apart from the originals' even when both fall in one second
        try (Stream<Path> jars = Files.list(copy.resolve("lib"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.setLastModifiedTime(jar, FileTime.fromMillis(
                        Files.getLastModifiedTime(DIST.resolve("lib").resolve(jar.getFileName())).toMillis() + 10_000));
            }
        }
        Verdict v = check(copy, tmp);
        assertThat(v.exit()).isEqualTo(1);
        assertThat(v.output()).startsWith("does not use the AOT cache")
                .contains("timestamp has changed")
                .contains("missing: 'Archived app classpath validation: passed'");
    }

    @Test
    void anEmptyOrMissingLogIsNotAPass(@TempDir Path tmp) throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.log"));
        for (Path log : List.of(empty, tmp.resolve("absent.log"))) {
            Verdict v = runScript(log);
            assertThat(v.exit()).as(log.toString()).isEqualTo(1);
            assertThat(v.output()).contains("is empty or missing");
        }
    }

    static Path requireDistributionWithCache() {
        // -Dsteep.aot.skip builds the distribution without a cache; the DEB and DMG checks are skipped then too
        assumeTrue(Files.isRegularFile(DIST.resolve("lib/steep-repl.aot")),
                "no AOT cache in " + DIST + " (built with -Dsteep.aot.skip?)");
        return DIST;
    }

    /** Runs the distribution's launcher as test-deb.sh runs the installed one, then the script on its log. */
    static Verdict check(Path dist, Path tmp) throws Exception {
        Path log = tmp.resolve("aot-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/steep-repl").toString(), "--version")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:aot=info,cds=info,class+path=info,class+load=info");
        pb.environment().remove("STEEP_REPL_JAVA_OPTS");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("steep-repl --version finished").isTrue();
        assertThat(p.exitValue()).as("steep-repl --version exit; log: " + log).isZero();
        return runScript(log);
    }

    static Verdict runScript(Path log) throws Exception {
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), log.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Verdict(p.exitValue(), out);
    }

    static Path copyTree(Path from, Path to, CopyOption... options) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path src : all.toList()) {
                Path dst = to.resolve(from.relativize(src).toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(src, dst, options);
                }
            }
        }
        return to;
    }
}
