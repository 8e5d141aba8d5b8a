package dev.firmquery.cli;

import dev.firmquery.app.ConnectionCheck;
import dev.firmquery.config.LoadedConfig;
import dev.firmquery.exit.ExitCode;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code firmquery check}: prints the steps of {@link ConnectionCheck} one line each as they end - state,
 * step, what was found and for a failure its cause and fix - then the summary. Ends {@code COMPLETED}
 * when every step passes, {@code CONNECT} otherwise.
 */
final class CheckCommand {
    private final Map<String, String> env;
    private final PrintStream out;

    CheckCommand(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    ExitCode run(LoadedConfig loaded) {
        out.println("firmquery check: " + ConnectionCheck.heading(loaded.config().database()));
        List<ConnectionCheck.Step> steps = new ConnectionCheck(env, s -> out.println(line(s))).run(loaded);
        out.println("firmquery check: " + ConnectionCheck.summary(steps));
        out.flush();
        return ConnectionCheck.failed(steps).isEmpty() ? ExitCode.COMPLETED : ExitCode.CONNECT;
    }

    /** {@code "  FAIL  connect    db:5432/x: ..."}. */
    static String line(ConnectionCheck.Step s) {
        return String.format(Locale.ROOT, "  %-4s  %-9s  %s", s.state().label(), s.name(), s.detail());
    }
}
