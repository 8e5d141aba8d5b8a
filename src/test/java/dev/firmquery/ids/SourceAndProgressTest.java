package dev.firmquery.ids;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.firmquery.ids.IdFixtures.sha256;
import static dev.firmquery.ids.IdFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Source, SHA-256, progress and file errors")
class SourceAndProgressTest {
    @TempDir
    Path dir;

    private final IdLoader loader = IdFixtures.integers();

    @Test
    void sha256CoversTheRawBytesIncludingTheBom() throws Exception {
        byte[] content = "\uFEFFfirm_root_id\r\n1\r\n".getBytes(StandardCharsets.UTF_8);
        Path file = write(dir, "ids.csv", content);
        assertEquals(sha256(content), loader.load(file).sha256());
    }

    @Test
    void sha256OfPastedTextIsOfItsUtf8Bytes() throws Exception {
        String pasted = "1\n2\nÄ\n";
        assertEquals(sha256(pasted.getBytes(StandardCharsets.UTF_8)), loader.loadText(pasted).sha256());
    }

    @Test
    void sourceOfAFileIsItsPath() throws Exception {
        Path file = write(dir, "ids.txt", "1\n");
        assertEquals(file.toString(), loader.load(file).source());
    }

    @Test
    void sourceOfAStreamIsTheGivenName() throws Exception {
        IdLoadResult result = loader.load(new ByteArrayInputStream("1".getBytes(StandardCharsets.UTF_8)), "-",
                InputFormat.AUTO);
        assertEquals("-", result.source());
    }

    @Test
    void progressIsReportedAboutEveryMebibyteAndAtTheEnd() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400_000; i++) {
            sb.append(1_000_000 + i).append('\n');
        }
        Path file = write(dir, "ids.txt", sb.toString());
        long size = Files.size(file);
        List<Long> reports = new ArrayList<>();
        loader.load(file, reports::add);
        assertTrue(reports.size() >= size / (1 << 20), reports.toString());
        for (int i = 1; i < reports.size(); i++) {
            assertTrue(reports.get(i) >= reports.get(i - 1), reports.toString());
        }
        assertEquals(size, reports.get(reports.size() - 1));
    }

    @Test
    void streamIsReadToTheEndButNotClosed() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        byte[] content = "1\n2\n".getBytes(StandardCharsets.UTF_8);
        var in = new FilterInputStream(new ByteArrayInputStream(content)) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        IdLoadResult result = loader.load(in, "-", InputFormat.TEXT);
        assertEquals(2, result.ids().size());
        assertEquals(-1, in.read());
        assertFalse(closed.get());
    }

    @Test
    void missingFileSaysNotFound() {
        Path missing = dir.resolve("nope.txt");
        IdInputException e = assertThrows(IdInputException.class, () -> loader.load(missing));
        assertTrue(e.getMessage().contains("ID file not found"), e.getMessage());
    }

    @Test
    void directoryIsRefused() {
        IdInputException e = assertThrows(IdInputException.class, () -> loader.load(dir));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void emptyFileHasNoLinesAndAWarning() throws Exception {
        IdLoadResult result = loader.load(write(dir, "ids.csv", ""));
        assertEquals(new IdStats(0, 0, 0, 0, 0, 0), result.stats());
        assertTrue(result.warnings().get(0).contains("no valid IDs"), result.warnings().toString());
    }
}
