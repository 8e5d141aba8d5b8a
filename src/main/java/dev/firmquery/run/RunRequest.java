package dev.firmquery.run;

import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.sql.QueryTemplate;
import dev.firmquery.sql.StatementRenderer;

import java.time.Duration;

/**
 * Everything one run needs, prepared and validated before the database is touched.
 *
 * @param runId        unique id of the run (time-based), used for the working directory and the audit log
 * @param input        the cleaned IDs and their statistics
 * @param template     the validated SQL template
 * @param renderer     turns the template and a chunk into a statement
 * @param plan         the chunks, in order
 * @param output       where the files go
 * @param idColumnOut  the result column holding the ID ({@code null}: the input's ID column name if the
 *                     result has it, else the first column)
 * @param settings     retries, timeouts, workers
 */
public record RunRequest(String runId, IdLoadResult input, QueryTemplate template, StatementRenderer renderer,
                         ChunkPlan plan, OutputSpec output, String idColumnOut, Settings settings) {

    /**
     * @param threadCount  concurrent workers ({@code processing.thread_count})
     * @param maxRetries   retries per chunk after the first attempt ({@code processing.max_retries})
     * @param retryDelay   first backoff delay ({@code processing.retry_delay})
     * @param queryTimeout per-statement timeout ({@code database.query_timeout})
     * @param fetchSize    rows per round trip ({@code processing.fetch_size})
     * @param readOnly     run statements in read-only transactions ({@code !processing.allow_writes})
     */
    public record Settings(int threadCount, int maxRetries, Duration retryDelay, Duration queryTimeout,
                           int fetchSize, boolean readOnly) {
    }
}
