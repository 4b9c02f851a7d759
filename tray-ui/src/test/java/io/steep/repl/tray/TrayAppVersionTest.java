package io.steep.repl.tray;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TrayAppVersionTest {

    @Test
    void versionAndHelpPrintWithoutStartingTheUi() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            TrayApp.main(new String[]{"--version"});
            TrayApp.main(new String[]{"--help"});
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("steep-repl-tray ").contains("--socket PATH", "--no-tray");
        assertThat(TrayApp.option(java.util.List.of("--socket", "/x.sock"), "--socket")).isEqualTo("/x.sock");
        assertThat(TrayApp.option(java.util.List.of("--socket"), "--socket")).isNull();
    }
}
