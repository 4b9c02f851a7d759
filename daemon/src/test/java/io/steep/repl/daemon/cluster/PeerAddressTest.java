package io.steep.repl.daemon.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PeerAddressTest {

    @Test
    void parsesHostPortAndIpv6() {
        assertThat(PeerAddress.parse("peer", "node-b.example.com:5433")).isEqualTo(new PeerAddress("node-b.example.com", 5433));
        assertThat(PeerAddress.parse("peer", "[::1]:7000")).isEqualTo(new PeerAddress("::1", 7000));
        assertThat(new PeerAddress("::1", 7000).toString()).isEqualTo("[::1]:7000");
    }

    @Test
    void refusesBadInputNamingTheField() {
        assertThatThrownBy(() -> PeerAddress.parse("cluster.peers[0]", "node-b"))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("cluster.peers[0]")
                .hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> PeerAddress.parse("cluster.peers[1]", "node-b:99999"))
                .hasMessageContaining("cluster.peers[1]").hasMessageContaining("65535");
        assertThatThrownBy(() -> PeerAddress.parse("x", "node b:1")).hasMessageContaining("not a host name");
        assertThatThrownBy(() -> PeerAddress.parse("x", "host:abc")).hasMessageContaining("not a number");
    }

    @Test
    void nodeFieldsNameTheField() {
        assertThatThrownBy(() -> NodeFields.requirePriority("priority", 101))
                .isInstanceOf(InvalidFieldException.class).extracting(e -> ((InvalidFieldException) e).field())
                .isEqualTo("priority");
        assertThatThrownBy(() -> NodeFields.requireNodeId("node_id", "-bad")).hasMessageStartingWith("node_id:");
        assertThatThrownBy(() -> NodeFields.requireName("node_name", "a\nb")).hasMessageStartingWith("node_name:");
    }
}
