package dev.firmquery.run;

import dev.firmquery.export.Json;
import dev.firmquery.export.OutputFile;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The combined report of several jobs ({@code run --query A --query B}, {@code batch FILE.yaml}):
 * {@code <out>/batch_<yyyyMMdd_HHmmss>_report.json} listing each job's outcome, exit code, run id and
 * report file, and the worst exit code. Published like a run's files: complete or absent, never over
 * an existing file ({@code _2} instead), with the output files' mode.
 */
public final class BatchReport {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private BatchReport() {
    }

    /**
     * One job's line.
     *
     * @param job      its label ({@code job 2/3 firm_details})
     * @param query    the query as given
     * @param outcome  its status label, or {@code refused}, {@code not run}, {@code failed}
     * @param exitCode the exit code it ended with
     * @param runId    its run id, or null when it did not start
     * @param report   its {@code _report.json}, or null when it has none
     */
    public record Job(String job, String query, String outcome, dev.firmquery.exit.ExitCode exitCode, String runId,
                      Path report) {
        public Job {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(exitCode, "exitCode");
        }
    }

    /**
     * Writes the combined report into {@code directory} (which must exist).
     *
     * @return the file written
     */
    public static Path write(Path directory, LocalDateTime now, String source, List<Job> jobs,
                             dev.firmquery.exit.ExitCode worst, Set<PosixFilePermission> permissions) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("exit_code", worst.code());
        m.put("status", worst.name().toLowerCase(java.util.Locale.ROOT));
        m.put("firmquery_version", Version.current());
        List<Object> list = new ArrayList<>();
        for (Job j : jobs) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("job", j.job());
            e.put("query", j.query());
            e.put("outcome", j.outcome());
            e.put("exit_code", j.exitCode().code());
            e.put("run_id", j.runId());
            e.put("report", j.report() == null ? null : j.report().toString());
            list.add(e);
        }
        m.put("jobs", list);
        String stem = "batch_" + STAMP.format(now);
        for (int n = 1; ; n++) {
            Path target = directory.resolve(n == 1 ? stem + "_report.json" : stem + "_" + n + "_report.json");
            try (OutputFile file = OutputFile.create(target, permissions)) {
                try (Writer w = new OutputStreamWriter(file.newOutputStream(), StandardCharsets.UTF_8)) {
                    Json.pretty(w).value(m);
                    w.write('\n');
                }
                return file.publish();
            } catch (FileAlreadyExistsException e) {
                if (n >= 100) {
                    throw e;
                }
            }
        }
    }
}
