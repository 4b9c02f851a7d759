package io.steep.repl.tray;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.javafx.util.Logging;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Through JavaFX's own logger, as PlatformImpl logs it: the class-path warning is dropped, nothing else. */
class JavaFxLoggingTest {

    @Test
    void onlyTheClassPathWarningIsDropped() {
        List<String> published = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                published.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger javafx = Logger.getLogger("javafx");
        javafx.addHandler(capture);
        try {
            JavaFxLogging.dropClassPathWarning();
            Logging.getJavaFXLogger().warning("Unsupported JavaFX configuration: classes were loaded from 'unnamed module @2c1e6201'");
            Logging.getJavaFXLogger().warning("Unsupported JavaFX configuration: some other reason");
            Logging.getCSSLogger().warning("Could not resolve '-fx-accent' while resolving lookups");

            // the CSS logger's record reaches the javafx logger's handlers too: still published
            assertThat(published).containsExactly("Unsupported JavaFX configuration: some other reason",
                    "Could not resolve '-fx-accent' while resolving lookups");
        } finally {
            javafx.removeHandler(capture);
        }
    }
}
