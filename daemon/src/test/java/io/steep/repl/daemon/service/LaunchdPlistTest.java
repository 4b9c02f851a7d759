package io.steep.repl.daemon.service;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LaunchdPlistTest {

    @Test
    void launchDaemonPlistParsesAndHasTheKeys() throws Exception {
        String xml = new LaunchdPlist("/Applications/steep-repl.app/Contents/MacOS/steep-repl",
                "/Library/Application Support/steep/config.yaml", "/Library/Logs/steep-repl/steep-repl.log",
                Optional.of("_steep-repl"), "/Library/Application Support/steep/data").render();

        Map<String, Element> dict = parse(xml);

        assertThat(dict).containsKeys("Label", "ProgramArguments", "RunAtLoad", "KeepAlive", "StandardOutPath",
                "StandardErrorPath", "UserName", "WorkingDirectory");
        assertThat(dict.get("Label").getTextContent()).isEqualTo("io.steep.repl");
        assertThat(strings(dict.get("ProgramArguments"))).containsExactly(
                "/Applications/steep-repl.app/Contents/MacOS/steep-repl", "run", "--config",
                "/Library/Application Support/steep/config.yaml");
        assertThat(dict.get("RunAtLoad").getTagName()).isEqualTo("true");
        // KeepAlive restarts after a crash only, like Restart=on-failure
        assertThat(dict.get("KeepAlive").getTagName()).isEqualTo("dict");
        assertThat(childElements(dict.get("KeepAlive")).stream().map(Element::getTagName).toList())
                .containsExactly("key", "false");
        assertThat(dict.get("StandardOutPath").getTextContent()).isEqualTo("/Library/Logs/steep-repl/steep-repl.log");
        assertThat(dict.get("StandardErrorPath").getTextContent()).isEqualTo("/Library/Logs/steep-repl/steep-repl.log");
        assertThat(dict.get("UserName").getTextContent()).isEqualTo("_steep-repl");
    }

    @Test
    void launchAgentHasNoUserName() throws Exception {
        Map<String, Element> dict = parse(new LaunchdPlist("/opt/steep-repl/bin/steep-repl", "/Users/a/c.yaml",
                "/Users/a/Library/Logs/steep-repl/steep-repl.log", Optional.empty(), "/Users/a/data").render());
        assertThat(dict).containsKeys("Label", "ProgramArguments", "RunAtLoad", "KeepAlive", "StandardOutPath", "StandardErrorPath")
                .doesNotContainKey("UserName");
    }

    @Test
    void markupInPathsIsEscapedAndSurvivesTheRoundTrip() throws Exception {
        String odd = "/Users/a&b/<steep> \"repl\" 'x'/steep-repl";
        Map<String, Element> dict = parse(new LaunchdPlist(odd, "/c.yaml", "/l.log", Optional.empty(), "/d").render());
        assertThat(strings(dict.get("ProgramArguments")).getFirst()).isEqualTo(odd);
    }

    @Test
    void controlCharactersAreRefused() {
        assertThatThrownBy(() -> new LaunchdPlist("/bin/x\u0001", "/c", "/l", Optional.empty(), "/d").render())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0001");
    }

    /** The top-level dict as key → value element, read with the JDK's XML parser (the DTD is not fetched). */
    static Map<String, Element> parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        DocumentBuilder b = f.newDocumentBuilder();
        Element plist = b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        assertThat(plist.getTagName()).isEqualTo("plist");
        List<Element> top = childElements(plist);
        assertThat(top).hasSize(1);
        List<Element> entries = childElements(top.getFirst());
        Map<String, Element> dict = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i += 2) {
            assertThat(entries.get(i).getTagName()).isEqualTo("key");
            assertThat(dict.put(entries.get(i).getTextContent(), entries.get(i + 1))).as("duplicate key").isNull();
        }
        return dict;
    }

    static List<Element> childElements(Node parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> strings(Element array) {
        assertThat(array.getTagName()).isEqualTo("array");
        return childElements(array).stream().map(Node::getTextContent).toList();
    }
}
