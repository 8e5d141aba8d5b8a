package dev.firmquery.run;

import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.run.store.JournalState;
import dev.firmquery.run.store.RunDirectory;
import dev.firmquery.sql.QueryTemplate;
import dev.firmquery.sql.StatementRenderer;

import java.time.Duration;
import java.time.Instant;

/**
 * Everything one run needs, prepared and validated before the database is touched.
 *
 * @param runId           unique id of the run (time-based), used for the working directory and the audit log
 * @param input           the cleaned IDs and their statistics
 * @param template        the validated SQL template
 * @param renderer        turns the template and a chunk into a statement
 * @param plan            the chunks, in order
 * @param output          where the files go
 * @param idColumnOut     the result column holding the ID ({@code null}: the input's ID column name if the
 *                        result has it, else {@code firm_root_id}; a result with neither is refused)
 * @param settings        retries, timeouts, workers
 * @param resume          for a resumed run: what the earlier sessions finished; {@code null} for a new run
 * @param keepWork        keep the working directory even when the run completes ({@code --keep-work})
 * @param effectiveConfig the effective configuration as text, recorded in the working directory
 */
public record RunRequest(String runId, IdLoadResult input, QueryTemplate template, StatementRenderer renderer,
                         ChunkPlan plan, OutputSpec output, String idColumnOut, Settings settings, Resume resume,
                         boolean keepWork, String effectiveConfig) {

    /**
     * @param threadCount  concurrent workers ({@code processing.thread_count})
     * @param maxRetries   retries per chunk after the first attempt ({@code processing.max_retries})
     * @param retryDelay   first backoff delay ({@code processing.retry_delay})
     * @param queryTimeout bound of each statement, from execute to its last row ({@code database.query_timeout}; positive)
     * @param fetchSize    rows per round trip ({@code processing.fetch_size})
     * @param outageWait   how long a database outage is waited out before the run stops ({@code processing.outage_wait})
     * @param genericPlans whether the workers' sessions ask for generic plans ({@code processing.generic_plans})
     * @param chunksPerRoundTrip how many chunks a worker sends in one round trip, at most
     *                     ({@code processing.chunks_per_round_trip}; 1 to 64)
     */
    public record Settings(int threadCount, int maxRetries, Duration retryDelay, Duration queryTimeout,
                           int fetchSize, Duration outageWait, boolean genericPlans, int chunksPerRoundTrip) {
        public Settings {
            if (chunksPerRoundTrip < 1 || chunksPerRoundTrip > 64) {
                throw new IllegalArgumentException("chunksPerRoundTrip must be 1 to 64"
                        + " (processing.chunks_per_round_trip), got " + chunksPerRoundTrip);
            }
            if (queryTimeout.isNegative() || queryTimeout.isZero()) {
                throw new IllegalArgumentException("queryTimeout must be positive (database.query_timeout is 1 to"
                        + " 86400 s), got " + queryTimeout);
            }
        }
    }

    /**
     * An interrupted run being continued.
     *
     * @param directory its working directory
     * @param journal   what its journal records: chunks done (with trusted spools) and failed, files published
     * @param started   when the run was first started
     */
    public record Resume(RunDirectory directory, JournalState journal, Instant started) {
    }

    /** The same request with {@code keepWork} set. */
    public RunRequest withKeepWork(boolean keep) {
        return new RunRequest(runId, input, template, renderer, plan, output, idColumnOut, settings, resume, keep,
                effectiveConfig);
    }

    /** Whether this request continues an earlier run. */
    public boolean isResume() {
        return resume != null;
    }
}
