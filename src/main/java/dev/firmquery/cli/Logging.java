package dev.firmquery.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.classic.LoggerContext;
import dev.firmquery.audit.LogFiles;
import dev.firmquery.audit.PrivateFiles;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Points Logback at the configured log directory. Logback starts on the first logger lookup, which
 * config loading already triggers ({@link LogFiles}, with the directory {@link #preset} gave), so the
 * directory and format from the configuration are applied by configuring it again. Logback's own JSON
 * encoder (1.3+, one object a line with the MDC's run_id) writes {@code logging.format: json}: no new
 * dependency.
 */
final class Logging {
    static final String LOG_DIR_PROPERTY = LogFiles.DIRECTORY_PROPERTY;

    private Logging() {
    }

    /** Sets the directory before Logback starts (from the environment or the default). */
    static void preset(Path directory) {
        if (System.getProperty(LOG_DIR_PROPERTY) == null) {
            System.setProperty(LOG_DIR_PROPERTY, directory.toString());
        }
    }

    /**
     * Applies the configured directory and level.
     *
     * @return a warning for the user when the directory cannot be created or is not private to the user
     *         (logging then goes nowhere), else null
     */
    static String configure(Path directory, boolean verbose, boolean json) {
        String warning = null;
        try {
            PrivateFiles.directory(directory); // 0700: the log and audit trail are for their owner only
        } catch (IOException e) {
            warning = "cannot use the log directory " + directory + " (" + e.getMessage()
                    + "); no application log is kept. Set logging.directory to a writable folder of your own";
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return warning;
        }
        String current = System.getProperty(LOG_DIR_PROPERTY);
        Appender<ILoggingEvent> before = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("APP");
        boolean wasJson = before instanceof OutputStreamAppender<ILoggingEvent> f && f.getEncoder() instanceof JsonEncoder;
        if (!directory.toString().equals(current) || wasJson != json) {
            System.setProperty(LOG_DIR_PROPERTY, directory.toString());
            LogFiles.apply(context, directory, json);
        }
        if (verbose) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
            context.getLogger("dev.firmquery").setLevel(Level.DEBUG);
        }
        return warning;
    }
}
