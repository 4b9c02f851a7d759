package io.steep.repl.tray;

import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * JavaFX runs from the class path on purpose (one launcher and one layout for every OS, ControlsFX without
 * {@code --add-exports}), and JavaFX says at every start that this is "unsupported": a WARNING a user can do
 * nothing about, printed on the terminal or into the tray's log. This drops that one message; every other JavaFX
 * log record (CSS, layout, toolkit warnings) still comes through.
 */
final class JavaFxLogging {

    static final String CLASS_PATH_WARNING = "Unsupported JavaFX configuration: classes were loaded from 'unnamed module";

    /** Held: java.util.logging keeps loggers weakly, and a collected logger would forget the filter. */
    private static final Logger JAVAFX = Logger.getLogger("javafx");

    private JavaFxLogging() {
    }

    static void dropClassPathWarning() {
        Filter before = JAVAFX.getFilter();
        JAVAFX.setFilter(r -> !(r.getMessage() != null && r.getMessage().startsWith(CLASS_PATH_WARNING))
                && (before == null || before.isLoggable(r)));
    }
}
