package dev.firmquery.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.firmquery.audit.JsonLogEncoder;
import dev.firmquery.audit.PrivateFiles;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;

/**
 * Points Logback at the configured log directory. Logback starts on the first logger lookup, which
 * config loading already triggers, so the directory from the configuration is applied by
 * re-reading logback.xml with the property set.
 */
final class Logging {
    static final String LOG_DIR_PROPERTY = "firmquery.log.dir";
    static final String LOG_ENCODER_PROPERTY = "firmquery.log.encoder";

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
            // logback.xml names the APP appender's encoder class by this property: Logback's own JSON
            // encoder (1.3+, one object a line with the MDC's run_id), no new dependency.
            if (json) {
                System.setProperty(LOG_ENCODER_PROPERTY, JsonLogEncoder.class.getName());
            } else {
                System.clearProperty(LOG_ENCODER_PROPERTY);
            }
            URL xml = Logging.class.getResource("/logback.xml");
            if (xml != null) {
                context.reset();
                JoranConfigurator configurator = new JoranConfigurator();
                configurator.setContext(context);
                try {
                    configurator.doConfigure(xml);
                } catch (JoranException e) {
                    warning = "cannot configure logging: " + e.getMessage();
                }
            }
        }
        if (verbose) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
            context.getLogger("dev.firmquery").setLevel(Level.DEBUG);
        }
        return warning;
    }
}
