package dev.firmquery.audit;

import ch.qos.logback.classic.encoder.JsonEncoder;

/**
 * {@code logging.format: json}: Logback's own JSON encoder (one object a line, with the MDC and so the
 * run id), with the message also formatted ({@code formattedMessage}) as a log shipper wants it, and
 * without the Logback context, which is the same on every line.
 */
public final class JsonLogEncoder extends JsonEncoder {
    public JsonLogEncoder() {
        setWithFormattedMessage(true);
        setWithContext(false);
        setWithSequenceNumber(false);
    }
}
