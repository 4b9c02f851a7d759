package io.steep.repl.daemon.service;

/**
 * One thing a service operation does to the machine. A {@link ServicePlan} is a list of these: the same list
 * is printed by {@code --dry-run} and carried out otherwise, so the preview cannot drift from the real thing.
 */
public sealed interface PlanStep {

    /** Write {@code content} to {@code path} (creating parent directories) with Unix permissions {@code mode}. */
    record WriteFile(String path, String content, String mode) implements PlanStep {}

    /** Create a directory and its parents, if absent. */
    record MakeDirectory(String path) implements PlanStep {}

    /** Delete a file, if present. */
    record DeleteFile(String path) implements PlanStep {}

    /**
     * Run a program. With {@code tolerateFailure} a non-zero exit is reported but does not stop the plan (e.g.
     * stopping a service that is not running while uninstalling it).
     */
    record Run(Command command, boolean tolerateFailure) implements PlanStep {
        public Run(Command command) {
            this(command, false);
        }
    }

    /** Something the admin should know; printed, changes nothing. */
    record Note(String text) implements PlanStep {}
}
