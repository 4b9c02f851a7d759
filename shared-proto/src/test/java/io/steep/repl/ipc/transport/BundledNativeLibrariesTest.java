package io.steep.repl.ipc.transport;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFUNIXSocket;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class BundledNativeLibrariesTest {

    @TempDir
    Path tmp;

    @Test
    void namesThePlatformsTheBuildUnpacks() {
        assertThat(BundledNativeLibraries.platform("Linux", "amd64")).isEqualTo("linux-x86-64");
        assertThat(BundledNativeLibraries.platform("Linux", "aarch64")).isEqualTo("linux-aarch64");
        assertThat(BundledNativeLibraries.platform("Mac OS X", "aarch64")).isEqualTo("darwin-aarch64");
        assertThat(BundledNativeLibraries.platform("Mac OS X", "x86_64")).isEqualTo("darwin-x86-64");
        assertThat(BundledNativeLibraries.platform("Windows Server 2022", "amd64")).isEqualTo("win32-x86-64");
        assertThat(BundledNativeLibraries.platform("Linux", "s390x")).isNull();
        assertThat(BundledNativeLibraries.platform("FreeBSD", "amd64")).isNull();
        assertThat(BundledNativeLibraries.platform(null, null)).isNull();
    }

    @Test
    void findsTheSharedProtoJarOnTheClassPathOrNothing() {
        String sep = java.io.File.pathSeparator;
        assertThat(BundledNativeLibraries.jarDirectory(String.join(sep, "/opt/steep-repl/lib/app/guava-33.jar",
                "/opt/steep-repl/lib/app/shared-proto-0.1.0.jar"))).isEqualTo(Path.of("/opt/steep-repl/lib/app"));
        assertThat(BundledNativeLibraries.jarDirectory(String.join(sep, "shared-proto/target/classes", "x.jar"))).isNull();
        assertThat(BundledNativeLibraries.jarDirectory(null)).isNull();
    }

    @Test
    void pointsTheLibrariesAtTheFilesThatExistAndLeavesTheRestAlone() throws IOException {
        Path lib = tmp.resolve("lib");
        Path linux = Files.createDirectories(lib.resolve("native/linux-x86-64"));
        Files.writeString(linux.resolve("libjunixsocket-native.so"), "x");

        Properties p = props("Linux", "amd64");
        BundledNativeLibraries.apply(p, lib);
        assertThat(p.getProperty(BundledNativeLibraries.JUNIXSOCKET_OVERRIDE)).isEqualTo(linux.resolve("libjunixsocket-native.so").toString());
        assertThat(p.getProperty(BundledNativeLibraries.JNA_BOOT_PATH)).as("no libjnidispatch.so there").isNull();
        assertThat(p.getProperty(BundledNativeLibraries.JNA_PLATFORM_PATH)).startsWith("/usr/lib/x86_64-linux-gnu:");

        Files.writeString(linux.resolve("libjnidispatch.so"), "x");
        Properties chosen = props("Linux", "amd64");
        chosen.setProperty(BundledNativeLibraries.JUNIXSOCKET_OVERRIDE, "/elsewhere/lib.so");
        chosen.setProperty(BundledNativeLibraries.JNA_PLATFORM_PATH, "/mine");
        BundledNativeLibraries.apply(chosen, lib);
        assertThat(chosen.getProperty(BundledNativeLibraries.JUNIXSOCKET_OVERRIDE)).as("-D wins").isEqualTo("/elsewhere/lib.so");
        assertThat(chosen.getProperty(BundledNativeLibraries.JNA_PLATFORM_PATH)).as("-D wins").isEqualTo("/mine");
        assertThat(chosen.getProperty(BundledNativeLibraries.JNA_BOOT_PATH)).isEqualTo(linux.toString());

        Path win = Files.createDirectories(lib.resolve("native/win32-x86-64"));
        Files.writeString(win.resolve("jnidispatch.dll"), "x");
        Properties windows = props("Windows 11", "amd64");
        BundledNativeLibraries.apply(windows, lib);
        assertThat(windows.getProperty(BundledNativeLibraries.JNA_BOOT_PATH)).isEqualTo(win.toString());
        assertThat(windows.getProperty(BundledNativeLibraries.JUNIXSOCKET_OVERRIDE)).isNull();
        assertThat(windows.getProperty(BundledNativeLibraries.JNA_PLATFORM_PATH)).isNull();

        Properties mac = props("Mac OS X", "aarch64");
        BundledNativeLibraries.apply(mac, lib);
        assertThat(mac.stringPropertyNames()).containsOnly("os.name", "os.arch");

        Properties fromClasses = props("Linux", "amd64");
        BundledNativeLibraries.apply(fromClasses, null);
        assertThat(fromClasses.stringPropertyNames()).containsOnly("os.name", "os.arch");
    }

    /**
     * The real libraries in a child JVM whose temp, home and working directories start empty: with the
     * distribution's layout both load the bundled files and write nothing anywhere; with broken files there, both
     * fall back to their own copies and still work.
     */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "aarch64"})
    void junixsocketAndJnaLoadTheBundledFilesAndWriteNothing() throws Exception {
        Path lib = unpackLikeTheBuild();
        List<String> out = probe(lib);
        Path dir = lib.resolve("native").resolve(BundledNativeLibraries.platform("Linux", System.getProperty("os.arch")));
        assertThat(out).contains("junixsocket " + dir.resolve("libjunixsocket-native.so"),
                "jna " + dir.resolve("libjnidispatch.so"), "getpid ok");
        assertThat(filesUnder(tmp.resolve("child"))).as("nothing extracted to temp, home or working directory").isEmpty();
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "aarch64"})
    void brokenBundledFilesFallBackToTheLibrariesOwnLoading() throws Exception {
        Path lib = unpackLikeTheBuild();
        try (Stream<Path> files = Files.list(lib.resolve("native").resolve(BundledNativeLibraries.platform("Linux", System.getProperty("os.arch"))))) {
            for (Path f : files.toList()) {
                Files.writeString(f, "not an ELF file");
            }
        }
        List<String> out = probe(lib);
        assertThat(out).contains("getpid ok");
        assertThat(out).anyMatch(l -> l.startsWith("junixsocket ") && !l.contains(lib.toString()));
        assertThat(out).anyMatch(l -> l.startsWith("jna ") && !l.contains(lib.toString()));
    }

    /** lib/native/<platform>/ as daemon/pom.xml makes it, from the jars on this test's class path. */
    private Path unpackLikeTheBuild() throws Exception {
        String arch = System.getProperty("os.arch");
        Path dir = Files.createDirectories(tmp.resolve("lib/native").resolve(BundledNativeLibraries.platform("Linux", arch)));
        copyEntry(jarOf(Class.forName("org.newsclub.lib.junixsocket.common.NarMetadata")),
                Pattern.compile("lib/" + arch + "-Linux-clang/jni/libjunixsocket-native-[0-9.]+\\.so"), dir.resolve("libjunixsocket-native.so"));
        copyEntry(jarOf(Native.class), Pattern.compile("com/sun/jna/" + BundledNativeLibraries.platform("Linux", arch) + "/libjnidispatch\\.so"),
                dir.resolve("libjnidispatch.so"));
        return tmp.resolve("lib");
    }

    private List<String> probe(Path lib) throws Exception {
        Path child = tmp.resolve("child");
        Path temp = Files.createDirectories(child.resolve("tmp"));
        Path home = Files.createDirectories(child.resolve("home"));
        Path cwd = Files.createDirectories(child.resolve("cwd"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + temp, "-Duser.home=" + home,
                "-cp", System.getProperty("java.class.path"), Probe.class.getName(), lib.toString())
                .directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static Path jarOf(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void copyEntry(Path jar, Pattern name, Path to) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            var entry = jf.stream().filter(e -> name.matcher(e.getName()).matches()).findFirst().orElseThrow(
                    () -> new AssertionError("no " + name + " in " + jar));
            try (InputStream in = jf.getInputStream(entry)) {
                Files.copy(in, to);
            }
        }
    }

    private static Properties props(String os, String arch) {
        Properties p = new Properties();
        p.setProperty("os.name", os);
        p.setProperty("os.arch", arch);
        return p;
    }

    /** Run in a child JVM: apply, then make both libraries load, and say from where. */
    public static final class Probe {
        public interface LibC extends Library {
            int getpid();
        }

        public static void main(String[] args) throws Exception {
            BundledNativeLibraries.apply(System.getProperties(), Path.of(args[0]));
            AFUNIXSocket.newInstance().close();
            System.out.println("junixsocket " + AFSocket.getLoadedLibrary());
            LibC c = Native.load("c", LibC.class);
            System.out.println("jna " + System.getProperty("jnidispatch.path"));
            System.out.println(c.getpid() == ProcessHandle.current().pid() ? "getpid ok" : "getpid wrong");
        }
    }
}
