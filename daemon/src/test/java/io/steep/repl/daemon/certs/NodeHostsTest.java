package io.steep.repl.daemon.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NodeHostsTest {

    @Test
    void parsesIpAndDnsWithoutResolvingAndDeduplicates() {
        List<NodeHosts.Host> hosts = NodeHosts.parse(List.of("10.0.0.5", "[::1]", "DB1.Example.COM.", "db1.example.com",
                "localhost", "this-name-does-not-exist.invalid"));
        assertThat(hosts).containsExactly(
                new NodeHosts.IpAddress("10.0.0.5"),
                new NodeHosts.IpAddress("0:0:0:0:0:0:0:1"),
                new NodeHosts.DnsName("db1.example.com"),
                new NodeHosts.DnsName("localhost"),
                new NodeHosts.DnsName("this-name-does-not-exist.invalid"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*.example.com", "under_score.example", "-lead.example", "a..b", "has space", "300.1.1.1", "10.0.0",
            "example.com/path"})
    void refusesWhatIsNeitherIpNorDns(String host) {
        assertThatThrownBy(() -> NodeHosts.parse(host))
                .isInstanceOf(CertsException.class)
                .hasMessageContaining("is neither an IP address nor a DNS name")
                .hasMessageContaining("--host");
    }
}
