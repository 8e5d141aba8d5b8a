package dev.firmquery.kerberos;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;

/** A Kerberos login or credential problem, diagnosed: the message is the one-line cause and fix. */
public class KerberosException extends FirmqueryException {
    private final transient Diagnosis diagnosis;

    public KerberosException(Diagnosis diagnosis, Throwable cause) {
        super(diagnosis.line(), cause);
        this.diagnosis = diagnosis;
    }

    public Diagnosis diagnosis() {
        return diagnosis;
    }

    /** {@link ExitCode#CONNECT}: no login, so no connection. */
    @Override
    public ExitCode exitCode() {
        return ExitCode.CONNECT;
    }
}
