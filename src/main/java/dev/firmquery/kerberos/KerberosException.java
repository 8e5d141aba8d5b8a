package dev.firmquery.kerberos;

/** A Kerberos login or credential problem, diagnosed: the message is the one-line cause and fix. */
public class KerberosException extends Exception {
    private final transient Diagnosis diagnosis;

    public KerberosException(Diagnosis diagnosis, Throwable cause) {
        super(diagnosis.line(), cause);
        this.diagnosis = diagnosis;
    }

    public Diagnosis diagnosis() {
        return diagnosis;
    }
}
