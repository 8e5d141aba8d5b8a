package dev.firmquery.kerberos;

import dev.firmquery.cli.Main;
import dev.firmquery.testing.TestConfigs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the {@code firmquery} command line in-process, as a user would, and keeps what it printed. */
public final class FirmqueryCli {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Path userHome;

    public FirmqueryCli(Path userHome) {
        this.userHome = userHome;
    }

    public int run(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        Main main = new Main(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                TestConfigs.home(), userHome, false, false);
        return main.run(args);
    }

    public String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    public String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Both streams, for assertion messages. */
    public String both() {
        return "--- stdout\n" + stdout() + "--- stderr\n" + stderr();
    }
}
