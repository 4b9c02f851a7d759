package io.steep.repl.daemon;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class MainDefaultsTest {

    @Test
    void nettyBuffersAreUnpooledUnlessTheCommandLineSaysOtherwise() {
        Properties fresh = new Properties();
        Main.applyDefaults(fresh);
        assertThat(fresh.getProperty(Main.NETTY_ALLOCATOR)).isEqualTo("unpooled");

        Properties chosen = new Properties();
        chosen.setProperty(Main.NETTY_ALLOCATOR, "pooled");
        Main.applyDefaults(chosen);
        assertThat(chosen.getProperty(Main.NETTY_ALLOCATOR)).isEqualTo("pooled");
    }

    @Test
    void theRelocatedNameIsTheOneGrpcNettyShadedReads() throws Exception {
        // grpc-netty-shaded relocates Netty's property names with its classes; the unshaded name would be ignored
        try (var in = Class.forName("io.grpc.netty.shaded.io.grpc.netty.Utils").getResourceAsStream("Utils.class")) {
            String bytecode = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(bytecode).contains(Main.NETTY_ALLOCATOR);
        }
    }
}
