package dev.firmquery.sql;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;

/** A SQL template that cannot be run as given; the message names the file, line and column and the fix. */
public class TemplateException extends FirmqueryException {
    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@link ExitCode#USAGE}: the template must be fixed. */
    @Override
    public ExitCode exitCode() {
        return ExitCode.USAGE;
    }
}
