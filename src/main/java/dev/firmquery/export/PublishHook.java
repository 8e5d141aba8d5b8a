package dev.firmquery.export;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Told about the steps of {@link OutputFile#publish()}, so that whoever keeps a record of published
 * files (the run journal) can write down the intent before a file appears under its final name. After
 * a crash between the two, the record tells the file that appeared apart from one someone else put there.
 */
public interface PublishHook {
    /** Records nothing. */
    PublishHook NONE = new PublishHook() {
        @Override
        public void publishing(Path target, Path temporary) {
        }
    };

    /**
     * The complete, closed temporary file is about to be linked under {@code target}. A failure here
     * leaves the file unpublished.
     */
    void publishing(Path target, Path temporary) throws IOException;

    /** {@code target} now names the file; its temporary name is removed next. */
    default void linked(Path target) throws IOException {
    }
}
