package dev.firmquery.run;

/**
 * An unexpected throwable that stopped a run: a {@link RuntimeException} or {@link Error} in a
 * worker or in the writer, which the engine cannot recover from the way it recovers from database
 * and disk errors. The run ends as {@link RunStatus#INTERNAL_ERROR}; what was finished is kept.
 *
 * @param where where it happened, e.g. {@code "in worker 2 on chunk 7/20"}
 * @param cause what was thrown
 */
record InternalFault(String where, Throwable cause) {

    /**
     * One line for the report's {@code stop_reason}, the summary and the log: what happened, where,
     * the first frame of the cause, and what to do.
     */
    String describe() {
        StringBuilder b = new StringBuilder("internal error ").append(where).append(": ")
                .append(cause.getClass().getName());
        String message = cause.getMessage();
        if (message != null && !message.isBlank()) {
            b.append(": ").append(message.strip());
        }
        StackTraceElement[] trace = cause.getStackTrace();
        if (trace.length > 0) {
            b.append(" (at ").append(trace[0]).append(')');
        }
        return b.append("; this is a bug in firmquery or the JVM failing: the application log (firmquery.log in ")
                .append("logging.directory) has the stack trace to report. The chunks finished before it are kept:")
                .append(" resume the run to finish it").toString();
    }
}
