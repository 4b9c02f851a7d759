package io.steep.repl.daemon;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class MainDefaultsTest {

    @Test
    void defaultsApplyUnlessTheCommandLineSaysOtherwise() {
        Properties fresh = new Properties();
        Main.applyDefaults(fresh);
        assertThat(fresh.getProperty(Main.NETTY_ALLOCATOR)).isEqualTo("unpooled");
        assertThat(fresh.getProperty(Main.NETTY_NO_NATIVE)).isEqualTo("true");
        assertThat(fresh.getProperty(Main.PICOCLI_NO_CLOSURES)).isEqualTo("true");

        Properties chosen = new Properties();
        chosen.setProperty(Main.NETTY_ALLOCATOR, "pooled");
        chosen.setProperty(Main.NETTY_NO_NATIVE, "false");
        Main.applyDefaults(chosen);
        assertThat(chosen.getProperty(Main.NETTY_ALLOCATOR)).isEqualTo("pooled");
        assertThat(chosen.getProperty(Main.NETTY_NO_NATIVE)).isEqualTo("false");
    }

    @Test
    void theNamesAreTheOnesTheLibrariesRead() throws Exception {
        // grpc-netty-shaded relocates Netty's property names with its classes; the unshaded names would be ignored
        assertThat(bytecodeOf("io.grpc.netty.shaded.io.grpc.netty.Utils")).contains(Main.NETTY_ALLOCATOR);
        assertThat(bytecodeOf("io.grpc.netty.shaded.io.netty.channel.epoll.Epoll")).contains(Main.NETTY_NO_NATIVE);
        assertThat(bytecodeOf("picocli.CommandLine$DefaultFactory")).contains(Main.PICOCLI_NO_CLOSURES);
    }

    @Test
    void withTheDefaultsGrpcUsesJavaNioNotTheNativeTransport() throws Exception {
        // a fresh JVM: Netty reads the property once, in Epoll's class initialisation
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), NativeTransportProbe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out).contains("epoll available: false").contains("disabled with");
    }

    /** Run in a child JVM by the test above. */
    public static final class NativeTransportProbe {
        public static void main(String[] args) {
            Main.applyDefaults(System.getProperties());
            Throwable why = io.grpc.netty.shaded.io.netty.channel.epoll.Epoll.unavailabilityCause();
            System.out.println("epoll available: " + io.grpc.netty.shaded.io.netty.channel.epoll.Epoll.isAvailable()
                    + " (" + (why == null ? "" : why.getMessage()) + ")");
        }
    }

    private static String bytecodeOf(String className) throws Exception {
        Class<?> c = Class.forName(className, false, MainDefaultsTest.class.getClassLoader());
        String file = className.substring(className.lastIndexOf('.') + 1) + ".class";
        try (var in = c.getResourceAsStream(file)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
