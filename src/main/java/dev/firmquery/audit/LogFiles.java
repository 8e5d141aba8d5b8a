package dev.firmquery.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import ch.qos.logback.core.util.FileSize;

import java.nio.file.Path;

/**
 * firmquery's Logback configuration, in code: the application log {@code firmquery.log} and the audit
 * trail {@code audit.log} in one folder, and nothing on the terminal (the full-screen UI owns it, and
 * headless runs keep stderr for progress).
 *
 * <p>Logback finds this class as a {@link Configurator} service
 * ({@code META-INF/services/ch.qos.logback.classic.spi.Configurator}) on the first logger lookup, before
 * it would look for a {@code logback.xml}; {@code cli.Logging} applies it again once the configuration
 * names the folder and the format. In code rather than XML because Joran (Logback's XML configurator:
 * an XML parser, its model and handlers) cost about 0.13 s of every start, twice when
 * {@code logging.directory} is set (the first configuration 0.29-0.32 s against 0.16-0.20 s, 4 interleaved
 * pairs; docs/performance.md).
 *
 * <p>The files hold paths, query names and server error texts: {@link PrivateRollingFileAppender} keeps
 * the folder 0700 and every file 0600 whatever the umask. Rolled files are renamed, not compressed: a
 * rename keeps the mode, while Logback's compressor would create the archive with the umask's mode
 * ({@code totalSizeCap} still bounds the disk used).
 *
 * <p>A {@code logback-test.xml} on the class path (the test suite's) or a {@code logback.configurationFile}
 * system property is left to Logback's own configurators.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class LogFiles extends ContextAwareBase implements Configurator {
    /** The system property with the log folder, set by the launcher before Logback starts. */
    public static final String DIRECTORY_PROPERTY = "firmquery.log.dir";
    /** Application log lines: time with offset, level, thread, logger, message. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{30} - %msg%n";
    /** The application log rolls daily and at 20 MB; 30 days, at most 500 MB in all. */
    static final String APP_MAX_FILE_SIZE = "20MB";
    static final int APP_MAX_HISTORY = 30;
    static final String APP_TOTAL_SIZE_CAP = "500MB";
    /** The audit trail rolls monthly and keeps two years. */
    static final int AUDIT_MAX_HISTORY = 24;
    /** Loggers that are chatty at INFO; their warnings still reach the log. */
    private static final String[] QUIET = {"com.mchange", "org.postgresql", "org.apache.commons.beanutils", "io.zonky"};

    /** For Logback's service loader. */
    public LogFiles() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogFiles.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        String dir = System.getProperty(DIRECTORY_PROPERTY);
        apply(context, dir != null ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".local", "state", "firmquery", "logs"), false);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Replaces {@code context}'s configuration with firmquery's: both files in {@code directory}, the
     * application log as text lines or, with {@code json}, one JSON object a line ({@link JsonLogEncoder}).
     * The loggers' levels are INFO, the quiet libraries' WARN.
     */
    public static void apply(LoggerContext context, Path directory, boolean json) {
        context.reset();
        // A status listener keeps Logback from printing its own status messages on the terminal.
        context.getStatusManager().add(new NopStatusListener());
        context.putProperty(DIRECTORY_PROPERTY, directory.toString());

        PrivateRollingFileAppender<ILoggingEvent> app = new PrivateRollingFileAppender<>();
        app.setContext(context);
        app.setName("APP");
        app.setFile(directory.resolve("firmquery.log").toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> appRolling = new SizeAndTimeBasedRollingPolicy<>();
        appRolling.setContext(context);
        appRolling.setParent(app);
        appRolling.setFileNamePattern(directory.resolve("firmquery.%d{yyyy-MM-dd}.%i.log").toString());
        appRolling.setMaxFileSize(FileSize.valueOf(APP_MAX_FILE_SIZE));
        appRolling.setMaxHistory(APP_MAX_HISTORY);
        appRolling.setTotalSizeCap(FileSize.valueOf(APP_TOTAL_SIZE_CAP));
        appRolling.start();
        app.setRollingPolicy(appRolling);
        app.setEncoder(json ? started(context, new JsonLogEncoder()) : pattern(context, PATTERN));
        app.start();

        PrivateRollingFileAppender<ILoggingEvent> audit = new PrivateRollingFileAppender<>();
        audit.setContext(context);
        audit.setName("AUDIT");
        audit.setFile(directory.resolve("audit.log").toString());
        TimeBasedRollingPolicy<ILoggingEvent> auditRolling = new TimeBasedRollingPolicy<>();
        auditRolling.setContext(context);
        auditRolling.setParent(audit);
        auditRolling.setFileNamePattern(directory.resolve("audit.%d{yyyy-MM}.log").toString());
        auditRolling.setMaxHistory(AUDIT_MAX_HISTORY);
        auditRolling.start();
        audit.setRollingPolicy(auditRolling);
        audit.setEncoder(pattern(context, "%msg%n")); // one JSON object per line, nothing else
        audit.start();

        Logger auditLogger = context.getLogger(AuditLog.LOGGER);
        auditLogger.setLevel(Level.INFO);
        auditLogger.setAdditive(false);
        auditLogger.addAppender(audit);
        for (String name : QUIET) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(app);
    }

    private static Encoder<ILoggingEvent> pattern(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setPattern(pattern);
        return started(context, encoder);
    }

    private static Encoder<ILoggingEvent> started(LoggerContext context, Encoder<ILoggingEvent> encoder) {
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
