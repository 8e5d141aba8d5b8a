package dev.firmquery.kerberos;

/**
 * A Kerberos or connection failure in plain language: what is wrong and how to fix it, one line.
 *
 * @param problem what went wrong, e.g. {@code no Kerberos ticket in FILE:/tmp/krb5cc_1000 (from KRB5CCNAME)}
 * @param fix     what to do, starting with a verb, e.g. {@code run kinit, then try again}
 */
public record Diagnosis(String problem, String fix) {
    /** {@code problem; fix}. */
    public String line() {
        return problem + "; " + fix;
    }

    @Override
    public String toString() {
        return line();
    }
}
