package dev.firmquery.audit;

import ch.qos.logback.core.rolling.RollingFileAppender;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;

/**
 * Logback's rolling file appender for the application log and the audit trail, whose files only
 * their owner can read, whatever the umask: the folder is made 0700 and every file the appender
 * opens (at start and after each rollover) is created 0600 first ({@link PrivateFiles}); a file of
 * another user, or a link planted in its place, is refused (the appender then does not start and
 * logs nothing there). Rolled files are renamed, which keeps the mode; after a rollover anything else
 * left in the folder that others could read (an archive compressed by an earlier configuration) is
 * made 0600 too. Used by {@link LogFiles}.
 *
 * @param <E> the event type
 */
public class PrivateRollingFileAppender<E> extends RollingFileAppender<E> {

    @Override
    public void openFile(String fileName) throws IOException {
        PrivateFiles.file(Path.of(fileName));
        super.openFile(fileName);
    }

    @Override
    public void rollover() {
        super.rollover();
        String file = getFile();
        if (file != null) {
            tighten(Path.of(file).toAbsolutePath().getParent());
        }
    }

    /** Makes every regular file of this user in {@code dir} 0600 (links are left alone, never followed). */
    static void tighten(Path dir) {
        if (dir == null || !dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || !PrivateFiles.ownedByMe(f, false)) {
                    continue;
                }
                PosixFileAttributeView view = Files.getFileAttributeView(f, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                var mode = view.readAttributes().permissions();
                mode.retainAll(PrivateFiles.FILE_MODE);
                if (!mode.equals(view.readAttributes().permissions())) {
                    view.setPermissions(mode.isEmpty() ? PrivateFiles.FILE_MODE : mode);
                }
            }
        } catch (IOException e) {
            // Logging must not fail the run; the folder itself is 0700, so what is in it stays private.
        }
    }
}
