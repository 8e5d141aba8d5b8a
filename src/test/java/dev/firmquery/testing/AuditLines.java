package dev.firmquery.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** The audit lines written while it is open, parsed: {@code try (AuditLines audit = AuditLines.capture()) {...}}. */
public final class AuditLines implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("firmquery.audit");

    private AuditLines() {
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts capturing. */
    public static AuditLines capture() {
        return new AuditLines();
    }

    /** Every line so far, as JSON. */
    public synchronized List<JsonNode> lines() {
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (ILoggingEvent e : List.copyOf(appender.list)) {
            try {
                out.add(json.readTree(e.getFormattedMessage()));
            } catch (Exception ex) {
                throw new AssertionError("an audit line is not JSON: " + e.getFormattedMessage(), ex);
            }
        }
        return out;
    }

    /** The only line so far. */
    public JsonNode only() {
        List<JsonNode> l = lines();
        if (l.size() != 1) {
            throw new AssertionError("expected one audit line, got " + l);
        }
        return l.get(0);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
