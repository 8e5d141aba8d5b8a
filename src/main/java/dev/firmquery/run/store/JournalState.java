package dev.firmquery.run.store;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a run's journal says, later lines winning: a chunk failed in one session and done in the
 * next is done.
 *
 * @param done      the chunks done, by number
 * @param failed    the chunks failed and not done since, by number
 * @param published the final files published, by kind ({@code results-csv}, {@code missing}, ...)
 * @param intents   the final files about to be published, by path, with the identity of the file
 *                  that was to appear there ({@link StoreFiles#identity}): recorded before each
 *                  publish, so that a file that appeared before a crash is known as the run's own
 * @param finished  how the run ended; null when its last session did not end (killed, crashed) or
 *                  chunks ran after the end was recorded
 */
public record JournalState(Map<Integer, SpooledChunk> done, Map<Integer, FailedChunk> failed,
                           Map<String, Path> published, Map<Path, String> intents, RunEnd finished) {
    /** Copies the maps. */
    public JournalState {
        done = Map.copyOf(done);
        failed = Map.copyOf(failed);
        published = Map.copyOf(published);
        intents = Map.copyOf(intents);
    }

    /** The same state with only {@code trusted} done (the chunks whose spools a resume may reuse). */
    public JournalState withDone(Map<Integer, SpooledChunk> trusted) {
        return new JournalState(trusted, failed, published, intents, finished);
    }
}
