package dev.firmquery.sql;

/** A SQL template that cannot be run as given; the message names the file, line and column and the fix. */
public class TemplateException extends Exception {
    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
