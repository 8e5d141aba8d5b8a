package dev.firmquery.config;

import dev.firmquery.ids.IdType;
import dev.firmquery.sql.IdBinding;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The effective, validated configuration of one firmquery process. Built once by {@link ConfigLoader}
 * from the layered sources; immutable afterwards.
 */
public record AppConfig(Application application, Database database, Kerberos kerberos,
                        Processing processing, Output output, Logging logging) {

    /** Section {@code application}. */
    public record Application(int maxInputIds, int warningThreshold) {
    }

    /** {@code database.auth}. */
    public enum AuthMode { KERBEROS, PASSWORD }

    /**
     * Section {@code database}. The password is never part of the configuration files: it comes from
     * the environment ({@code FIRMQUERY_DATABASE_PASSWORD} or {@code PGPASSWORD}) or {@code ~/.pgpass},
     * which the PostgreSQL driver reads itself.
     */
    public record Database(String host, int port, String database, String user, AuthMode auth, String sslMode,
                           Duration connectionTimeout, Duration queryTimeout, int maxConnections,
                           Duration maxConnectionAge) {
    }

    /** Section {@code kerberos}; values are wired up by the Kerberos issue (#4). Empty strings mean unset. */
    public record Kerberos(String mode, String spn, String krb5Conf, String jaasConf, String jaasEntry,
                           String ticketCache, String keytab, String principal) {
    }

    /** Section {@code processing}. */
    public record Processing(int chunkSize, int maxQueryLength, int maxRetries, Duration retryDelay,
                             int threadCount, IdType idType, Pattern idPattern, IdBinding idBinding,
                             boolean allowWrites, int fetchSize, Duration outageWait) {
    }

    /** An output file format ({@code output.formats}). */
    public enum Format { CSV, XLSX }

    /** Section {@code output}. */
    public record Output(Path defaultDirectory, String filenamePattern, Set<Format> formats, boolean csvGzip,
                         Set<PosixFilePermission> fileMode) {
        public Output {
            formats = Set.copyOf(formats);
            fileMode = Set.copyOf(fileMode);
        }
    }

    /** Section {@code logging}. */
    public record Logging(Path directory) {
    }
}
