package io.steep.repl.daemon.aot;

import io.steep.repl.daemon.config.PlatformPaths.Os;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The builder's steps and what it leaves behind, with a stand-in for the launcher's JVMs: which start gets which
 * JDK options, and that the cfg and the cache in place are only changed after a checked success. The real JVMs
 * run in the DEB build (installers/build-app-image.sh) and its install test, which checks the installed cache.
 */
class AotCacheBuilderTest {

    static final String USED = """
            [0.012s][info][aot] Opened AOT cache steep-repl.aot.
            [0.118s][info][class,path] Archived app classpath validation: passed
            [0.120s][info][aot] Using AOT-linked classes: true (static archive: has aot-linked classes)
            steep-repl 0.1.0
            """;
    static final String STALE = """
            [0.120s][warning][aot       ] This file is not the one used while building the shared archive file: '/opt/steep-repl/lib/app/xz-1.11.jar', timestamp has changed
            [0.120s][error  ][aot       ] An error has occurred while processing the AOT cache. Run with -Xlog:aot for details.
            [0.120s][error  ][aot       ] shared class paths mismatch (hint: enable -Xlog:class+path=info to diagnose the failure)
            steep-repl 0.1.0
            """;

    @TempDir
    Path tmp;
    Path launcher;
    AppImage image;
    Path work;
    List<String> progress = new ArrayList<>();

    /** One call: the log's name, JAVA_TOOL_OPTIONS, the launcher arguments and the cfg as it was at that moment. */
    record Call(String name, String toolOptions, List<String> args, String cfg) { }

    List<Call> calls = new ArrayList<>();
    /** What each start does, by log name: its exit code (default: 0, writes nothing). */
    Map<String, Function<Path, Integer>> behaviour = new HashMap<>();

    @BeforeEach
    void image() throws IOException {
        launcher = tmp.resolve("steep-repl/bin/steep-repl");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, "#!/bin/sh\n");
        image = AppImage.of(launcher, Os.LINUX);
        Files.createDirectories(image.cfg().getParent());
        Files.writeString(image.cfg(), LauncherCfgTest.JPACKAGE);
        work = tmp.resolve("work");
        // a JVM that records, assembles and maps as asked
        behaviour.put("training", dir -> write(dir.resolve("steep-repl.aotconf"), "conf"));
        behaviour.put("assembly", dir -> write(dir.resolve("steep-repl.aot"), "new cache"));
        behaviour.put("check", dir -> log(dir, "check", USED));
        behaviour.put("check-in-place", dir -> log(dir, "check-in-place", USED));
    }

    AotCacheBuilder builder() {
        AotCacheBuilder.Runner runner = (argv, env, dir, log, timeout) -> {
            String name = log.getFileName().toString().replace(".log", "");
            assertThat(argv.getFirst()).isEqualTo(launcher.toString());
            assertThat(dir).isEqualTo(work);
            assertThat(timeout).isEqualTo(Duration.ofMinutes(3));
            assertThat(env.get("HOME")).isEqualTo(work.resolve("home").toString());
            calls.add(new Call(name, env.get("JAVA_TOOL_OPTIONS"), argv.subList(1, argv.size()), Files.readString(image.cfg())));
            if (!Files.exists(log)) {
                Files.writeString(log, "");
            }
            return behaviour.getOrDefault(name, d -> 0).apply(dir);
        };
        return new AotCacheBuilder(image, Os.LINUX, work, runner, progress::add);
    }

    /** What an earlier `aot-cache` left: the cache, and the cfg naming it. */
    void cacheInPlace() throws IOException {
        Files.writeString(image.cache(), "old cache");
        Files.writeString(image.cfg(), LauncherCfgTest.WITH_CACHE);
    }

    static int write(Path file, String text) {
        try {
            Files.writeString(file, text);
            return 0;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static int log(Path dir, String name, String text) {
        return write(dir.resolve(name + ".log"), text);
    }

    List<String> names() {
        return calls.stream().map(Call::name).toList();
    }

    @Test
    void trainsRecordsAssemblesChecksThenInstallsAndNamesTheCache() throws Exception {
        assertThat(builder().build(false)).isEqualTo(AotCacheBuilder.Outcome.BUILT);

        assertThat(names()).containsExactly("prepare", "training", "assembly", "check");
        Call prepare = calls.get(0);
        assertThat(prepare.toolOptions()).isNull();
        assertThat(prepare.args()).containsExactly("--config", work.resolve("config.yaml").toString(), "run", "--aot-training");
        assertThat(calls.get(1).toolOptions()).isEqualTo("-XX:AOTMode=record -XX:AOTConfiguration=steep-repl.aotconf"
                + " -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining");
        assertThat(calls.get(1).args()).isEqualTo(prepare.args());
        assertThat(calls.get(2).toolOptions()).isEqualTo("-XX:AOTMode=create -XX:AOTConfiguration=steep-repl.aotconf"
                + " -XX:AOTCache=steep-repl.aot");
        assertThat(calls.get(2).args()).containsExactly("--version");
        assertThat(calls.get(3).toolOptions()).startsWith("-XX:AOTCache=steep-repl.aot ").contains("-Xlog:aot=info");
        // every start ran with the cfg as jpackage wrote it: the JVM refuses -XX:AOTCache in record mode
        assertThat(calls).allSatisfy(c -> assertThat(c.cfg()).isEqualTo(LauncherCfgTest.JPACKAGE));

        assertThat(image.cache()).hasContent("new cache");
        assertThat(Files.readString(image.cfg())).isEqualTo(LauncherCfgTest.WITH_CACHE);
        assertThat(image.cache().resolveSibling("steep-repl.aot.new")).doesNotExist();
        assertThat(progress).hasSize(5).last().asString().startsWith("done: " + image.cache());

        String config = Files.readString(work.resolve("config.yaml"));
        assertThat(config).contains("node_id: aot-training", "port: 1\n", "path: '" + work.resolve("ipc.sock") + "'",
                "spool_dir: spool");
    }

    @Test
    void aWorkingCacheInPlaceIsKeptUnlessForced() throws Exception {
        cacheInPlace();

        assertThat(builder().build(false)).isEqualTo(AotCacheBuilder.Outcome.ALREADY_IN_PLACE);
        assertThat(names()).containsExactly("check-in-place");
        assertThat(calls.getFirst().toolOptions()).isEqualTo("-Xlog:aot=info,class+path=info");
        assertThat(image.cache()).hasContent("old cache");

        calls.clear();
        assertThat(builder().build(true)).isEqualTo(AotCacheBuilder.Outcome.BUILT);
        assertThat(names()).containsExactly("prepare", "training", "assembly", "check");
        // the cfg stopped naming the old cache for the starts: record mode refuses -XX:AOTCache
        assertThat(calls).allSatisfy(c -> assertThat(c.cfg()).isEqualTo(LauncherCfgTest.JPACKAGE));
        assertThat(image.cache()).hasContent("new cache");
        assertThat(Files.readString(image.cfg())).isEqualTo(LauncherCfgTest.WITH_CACHE);
    }

    @Test
    void aStaleCacheInPlaceIsReplacedAndTheReasonShown() throws Exception {
        cacheInPlace();
        behaviour.put("check-in-place", dir -> log(dir, "check-in-place", STALE));

        assertThat(builder().build(false)).isEqualTo(AotCacheBuilder.Outcome.BUILT);
        assertThat(progress.get(1)).contains("not used").contains("xz-1.11.jar', timestamp has changed");
        assertThat(image.cache()).hasContent("new cache");
    }

    @Test
    void aFailedAssemblyIsRetriedWithoutInvokedynamicLinking() throws Exception {
        behaviour.put("assembly", dir -> write(dir.resolve("steep-repl.aot"), "") == 0 ? 134 : 1);
        behaviour.put("assembly-retry", dir -> write(dir.resolve("steep-repl.aot"), "retried cache"));

        assertThat(builder().build(false)).isEqualTo(AotCacheBuilder.Outcome.BUILT);
        assertThat(names()).containsExactly("prepare", "training", "assembly", "assembly-retry", "check");
        assertThat(calls.get(3).toolOptions()).endsWith(" -XX:+UnlockDiagnosticVMOptions -XX:-AOTInvokeDynamicLinking");
        assertThat(image.cache()).hasContent("retried cache");
    }

    @Test
    void aFailedTrainingLeavesTheCfgAndTheCacheInPlaceAsTheyWere() throws Exception {
        cacheInPlace();
        behaviour.put("training", dir -> 1);

        assertThatThrownBy(() -> builder().build(true)).isInstanceOf(AotCacheBuilder.Failure.class)
                .hasMessage("the recorded start failed (exit 1); see " + work.resolve("training.log"))
                .satisfies(e -> assertThat(((AotCacheBuilder.Failure) e).tried()).isTrue());
        assertThat(Files.readString(image.cfg())).isEqualTo(LauncherCfgTest.WITH_CACHE);
        assertThat(image.cache()).hasContent("old cache");
    }

    @Test
    void aNewCacheTheJvmDoesNotMapIsNotInstalled() throws Exception {
        behaviour.put("check", dir -> log(dir, "check", STALE));

        assertThatThrownBy(() -> builder().build(false)).isInstanceOf(AotCacheBuilder.Failure.class)
                .hasMessageContaining("the JVM does not use the new cache: ")
                .hasMessageContaining("timestamp has changed")
                .hasMessageEndingWith("see " + work.resolve("check.log"));
        assertThat(image.cache()).doesNotExist();
        assertThat(Files.readString(image.cfg())).isEqualTo(LauncherCfgTest.JPACKAGE);
    }

    @Test
    void aBrokenCacheInPlaceIsNotNamedAgainWhenNoNewOneCanBeMade() throws Exception {
        cacheInPlace();
        behaviour.put("check-in-place", dir -> log(dir, "check-in-place", STALE));
        behaviour.put("assembly", dir -> AotCacheBuilder.TIMED_OUT);
        behaviour.put("assembly-retry", dir -> AotCacheBuilder.TIMED_OUT);

        assertThatThrownBy(() -> builder().build(false)).isInstanceOf(AotCacheBuilder.Failure.class)
                .hasMessage("assembling the cache failed (killed after 3 minutes); see " + work.resolve("assembly-retry.log"));
        // every command would print [error][aot] lines with the refused cache named: better without
        assertThat(Files.readString(image.cfg())).isEqualTo(LauncherCfgTest.JPACKAGE);
    }

    @Test
    void notAnAppImageIsRefusedBeforeAnythingRuns() throws Exception {
        Files.delete(image.cfg());
        assertThatThrownBy(() -> builder().build(false)).isInstanceOf(AotCacheBuilder.Failure.class)
                .hasMessage("no launcher configuration at " + image.cfg() + ": " + launcher
                        + " is not the launcher of a jpackage app image (the installed steep-repl)")
                .satisfies(e -> assertThat(((AotCacheBuilder.Failure) e).tried()).isFalse());
        Files.delete(launcher);
        assertThatThrownBy(() -> builder().build(false)).hasMessage("launcher " + launcher + " not found");
        assertThat(calls).isEmpty();
    }

    @Test
    void theJvmLogIsReadForErrorsFirstThenForTheProofOfUse() {
        assertThat(AotCacheBuilder.problemIn(USED, 0)).isNull();
        assertThat(AotCacheBuilder.problemIn(STALE, 0)).startsWith("This file is not the one used");
        assertThat(AotCacheBuilder.problemIn(USED, 1)).isEqualTo("steep-repl --version ended with exit 1");
        assertThat(AotCacheBuilder.problemIn("steep-repl 0.1.0\n", 0)).isEqualTo("no AOT-linked classes");
        assertThat(AotCacheBuilder.problemIn(USED.replace("Archived app classpath validation: passed\n", ""), 0))
                .isEqualTo("the class path was not validated");
        assertThat(AotCacheBuilder.problemIn("[0.02s][error][aot] Unable to map shared spaces\n", 0))
                .isEqualTo("Unable to map shared spaces");
    }

    @Test
    void yamlQuotingKeepsWindowsPipeNames() {
        assertThat(AotCacheBuilder.quoted("\\\\.\\pipe\\steep-repl-aot-training-7")).isEqualTo("'\\\\.\\pipe\\steep-repl-aot-training-7'");
        assertThat(AotCacheBuilder.quoted("/tmp/it's")).isEqualTo("'/tmp/it''s'");
    }
}
