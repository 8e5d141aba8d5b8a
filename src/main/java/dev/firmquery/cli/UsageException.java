package dev.firmquery.cli;

/** The command line cannot be understood; exit 2 with the message and a pointer to --help. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
