package dev.firmquery.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFileTest {

    @TempDir
    Path dir;

    private static void write(OutputFile file, String content) throws IOException {
        try (OutputStream out = file.newOutputStream()) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    private List<Path> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void writesUnderAHiddenTemporaryNameInTheTargetDirectory() throws IOException {
        try (OutputFile file = OutputFile.create(dir.resolve("result.csv"))) {
            assertEquals(dir.toAbsolutePath(), file.temporary().getParent());
            assertTrue(file.temporary().getFileName().toString().startsWith(".result.csv.tmp-"),
                    file.temporary().toString());
            assertFalse(Files.exists(file.target()));
        }
    }

    @Test
    void publishMovesTheContentToTheFinalNameAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("result.csv");
        try (OutputFile file = OutputFile.create(target)) {
            write(file, "id\r\n1\r\n");
            assertEquals(target.toAbsolutePath(), file.publish());
        }

        assertEquals("id\r\n1\r\n", Files.readString(target));
        assertEquals(List.of(target), filesInDir());
    }

    @Test
    void refusesToStartWhenTheTargetAlreadyExists() throws IOException {
        Path target = dir.resolve("result.csv");
        Files.writeString(target, "previous run");

        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> OutputFile.create(target));
        assertTrue(e.getMessage().contains(target.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("--out"), e.getMessage());
        assertEquals(List.of(target), filesInDir());
    }

    @Test
    void publishRefusesToOverwriteAFileThatAppearedMeanwhile() throws IOException {
        Path target = dir.resolve("result.csv");
        try (OutputFile file = OutputFile.create(target)) {
            write(file, "new");
            Files.writeString(target, "someone else's");

            FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                    file::publish);
            assertTrue(e.getMessage().contains(target.toAbsolutePath().toString()),
                    e.getMessage());
            assertTrue(e.getMessage().contains("remove the file"), e.getMessage());
            assertFalse(file.isPublished());
        }

        assertEquals("someone else's", Files.readString(target));
        assertEquals(List.of(target), filesInDir(), "temporary file discarded on close");
    }

    @Test
    void discardLeavesNoFile() throws IOException {
        OutputFile file = OutputFile.create(dir.resolve("result.csv"));
        write(file, "partial");
        file.discard();
        file.discard();

        assertEquals(List.of(), filesInDir());
    }

    @Test
    void closeAfterPublishKeepsThePublishedFile() throws IOException {
        Path target = dir.resolve("result.csv");
        OutputFile file = OutputFile.create(target);
        write(file, "done");
        file.publish();
        file.close();

        assertEquals("done", Files.readString(target));
    }

    @Test
    void createsFilesWithMode0600ByDefault() throws IOException {
        try (OutputFile file = OutputFile.create(dir.resolve("result.csv"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file.temporary())));
            Path published = file.publish();
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(published)));
        }
    }

    @Test
    void appliesConfiguredPermissionsExactlyRegardlessOfUmask() throws IOException {
        try (OutputFile file = OutputFile.create(dir.resolve("result.csv"),
                PosixFilePermissions.fromString("rw-rw-r--"))) {
            assertEquals("rw-rw-r--", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file.temporary())));
        }
    }

    @Test
    void reportsAMissingOutputDirectoryWithTheFix() {
        Path target = dir.resolve("missing").resolve("result.csv");

        IOException e = assertThrows(IOException.class, () -> OutputFile.create(target));
        assertTrue(e.getMessage().contains(dir.resolve("missing").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("--out"), e.getMessage());
    }

    @Test
    void cannotWriteAfterPublish() throws IOException {
        try (OutputFile file = OutputFile.create(dir.resolve("result.csv"))) {
            file.publish();
            assertThrows(IllegalStateException.class, file::newOutputStream);
        }
    }

    @Test
    void aLinkSwappedInForTheTemporaryNameIsRefusedNotWrittenThrough() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "untouched");
        try (OutputFile file = OutputFile.create(dir.resolve("result.csv"))) {
            // Someone who can write the folder replaces the temporary file with a link to a file of theirs.
            Files.delete(file.temporary());
            Files.createSymbolicLink(file.temporary(), victim);

            assertThrows(IOException.class, () -> write(file, "rows"));
        }
        assertEquals("untouched", Files.readString(victim));
    }

    @Test
    void thePublishHookIsToldBeforeTheLinkAndAfterIt() throws IOException {
        List<String> steps = new java.util.ArrayList<>();
        Path target = dir.resolve("result.csv");
        try (OutputFile file = OutputFile.create(target)) {
            write(file, "rows");
            file.publishHook(new PublishHook() {
                @Override
                public void publishing(Path t, Path temporary) {
                    steps.add("publishing " + t.getFileName() + " exists=" + Files.exists(t)
                            + " temporary=" + Files.exists(temporary));
                }

                @Override
                public void linked(Path t) {
                    steps.add("linked " + t.getFileName() + " exists=" + Files.exists(t)
                            + " temporary=" + Files.exists(file.temporary()));
                }
            });
            file.publish();
        }
        assertEquals(List.of("publishing result.csv exists=false temporary=true",
                "linked result.csv exists=true temporary=true"), steps);
    }

    @Test
    void aFailingPublishHookLeavesTheFileUnpublished() throws IOException {
        Path target = dir.resolve("result.csv");
        try (OutputFile file = OutputFile.create(target)) {
            write(file, "rows");
            file.publishHook((t, temporary) -> {
                throw new IOException("the journal is full");
            });
            assertThrows(IOException.class, file::publish);
        }
        assertFalse(Files.exists(target));
        assertEquals(List.of(), filesInDir(), "the temporary file is discarded");
    }
}
