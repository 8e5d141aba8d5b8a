package dev.firmquery.run;

import dev.firmquery.config.AppConfig;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.Database;
import dev.firmquery.testing.TestConfigs;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The child process of {@link PublishCrashTest}: runs firm_details over an ID file and halts the JVM
 * (no finally block, no shutdown hook: as SIGKILL or a power loss would stop it) at one step of
 * publishing the files. The database comes from the {@code FIRMQUERY_DATABASE_*} environment.
 *
 * <p>Arguments: the step ({@link PublishFaults.Step}), the file kind or {@code -}, the ID file, the
 * output folder, a user home without a configuration file, the settings ({@code key=value}).
 */
final class PublishCrash {
    /** The exit status of the halted child, as a shell reports a SIGKILL. */
    static final int HALTED = 137;

    private PublishCrash() {
    }

    public static void main(String[] args) throws Exception {
        PublishFaults.Step step = PublishFaults.Step.valueOf(args[0]);
        String kind = "-".equals(args[1]) ? null : args[1];
        AppConfig config = new ConfigLoader(TestConfigs.home(), System.getenv(), Path.of(args[4]))
                .load(new ConfigRequest(null, null, List.of(args).subList(5, args.length))).config();
        RunRequest request = new RunSetup(config, RunSetup.queryRoots(TestConfigs.home()), Clock.systemUTC())
                .prepare(RunSetup.Choices.of(Path.of(args[2]), "firm_details", Path.of(args[3])));
        try (ConnectionPool pool = new ConnectionPool(Database.dataSource(config.database(), System.getenv()),
                config.database())) {
            RunEngine engine = new RunEngine(pool, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC());
            engine.publishFaultsWith((at, k, path) -> {
                if (at == step && Objects.equals(k, kind)) {
                    Runtime.getRuntime().halt(HALTED);
                }
            });
            engine.execute(request);
        }
        System.exit(0); // the step was never reached
    }
}
