package dev.firmquery.ids;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.firmquery.ids.IdFixtures.invalidValues;
import static dev.firmquery.ids.IdFixtures.lines;
import static dev.firmquery.ids.IdFixtures.loadFile;
import static dev.firmquery.ids.IdFixtures.longs;
import static dev.firmquery.ids.IdFixtures.onlyReason;
import static dev.firmquery.ids.IdFixtures.strings;
import static dev.firmquery.ids.IdFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Hostile and broken input")
class HostileInputTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private final IdLoader loader = IdFixtures.integers();

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else if (part instanceof byte[] b) {
                out.writeBytes(b);
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }

    private IdInputException refused(String name, byte[] content) {
        Path file = write(dir, name, content);
        return assertThrows(IdInputException.class, () -> loader.load(file));
    }

    @Test
    void latin1ByteIsRefusedWithLineColumnOffsetAndFix() {
        // "1\n2\nCaf\xE9\n": a Windows-1252 'é' on line 3, column 4, byte offset 7.
        IdInputException e = refused("ids.txt", bytes("1\n2\nCaf", 0xE9, "\n"));
        String m = e.getMessage();
        assertTrue(m.contains("ids.txt:3:4: the input is not valid UTF-8 (byte 0xE9 at byte offset 7)"), m);
        assertTrue(m.contains("Save it as UTF-8"), m);
    }

    @Test
    void invalidByteFarIntoTheFileHasItsRealOffset() {
        String prefix = "1234567\n".repeat(20_000);
        IdInputException e = refused("ids.txt", bytes(prefix, "12", 0xFF, "\n"));
        assertTrue(e.getMessage().contains(":20001:3:"), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset " + (prefix.length() + 2)), e.getMessage());
    }

    @Test
    void truncatedMultiByteSequenceAtTheEndIsRefused() {
        IdInputException e = refused("ids.txt", bytes("1\n", 0xC3));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    @Test
    void multiByteCharacterAcrossTheReadBufferBoundaryIsDecoded() throws Exception {
        // Put a two-byte 'é' exactly across the 64 KiB boundary of the decoder's byte buffer.
        String pad = "x".repeat(64 * 1024 - 1 - "firm_root_id,name\n".length());
        String csv = "firm_root_id,name\n1," + pad.substring(2) + "é\n2,b\n";
        IdLoadResult result = loadFile(loader, dir, "ids.csv", csv);
        assertEquals(List.of(1L, 2L), longs(result));
    }

    @Test
    void utf8WithBomAndNonAsciiTextIdsIsRead() throws Exception {
        IdLoadResult result = loadFile(IdFixtures.texts("\\p{L}+"), dir, "ids.txt", "\uFEFFÄÖÜ\nçé\n");
        assertEquals(List.of("ÄÖÜ", "çé"), strings(result));
    }

    @Test
    void nulByteIsABinaryFile() {
        IdInputException e = refused("ids.txt", bytes("1\n2\n", 0, "3\n"));
        assertTrue(e.getMessage().contains("ids.txt:3: this looks like a binary file"), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset 4"), e.getMessage());
    }

    @Test
    void nulByteAfterTheFirstBlockIsABinaryFile() {
        IdInputException e = refused("ids.txt", bytes("1\n".repeat(50_000), "2", 0, "\n"));
        assertTrue(e.getMessage().contains(":50001:2: this looks like a binary file"), e.getMessage());
    }

    @Test
    void utf16FileIsRefusedAsUtf16() {
        byte[] utf16 = "1\n2\n".getBytes(StandardCharsets.UTF_16LE);
        IdInputException e = refused("ids.txt", bytes(0xFF, 0xFE, utf16));
        assertTrue(e.getMessage().contains("UTF-16"), e.getMessage());
    }

    @Test
    void xlsxWorkbookIsRefusedWithAnExportHint() {
        IdInputException e = refused("ids.csv", bytes("PK", 3, 4, 20, 0, 6, 0, "[Content_Types].xml"));
        assertTrue(e.getMessage().contains("ZIP archive") && e.getMessage().contains("CSV UTF-8"), e.getMessage());
    }

    @Test
    void megabyteTokenInTextIsOneTooLongValue() throws Exception {
        IdLoadResult result = loadFile(loader, dir, "ids.txt", "1\n" + "9".repeat(5 * MIB) + "\n2\n");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals(List.of(2L), lines(result));
        assertTrue(onlyReason(result).startsWith("value too long (more than 1024 characters)"), onlyReason(result));
        assertEquals(80, result.invalidExamples().get(0).value().length());
    }

    @Test
    void megabyteOfSeparatorsIsOneBlankLine() throws Exception {
        IdLoadResult result = loadFile(loader, dir, "ids.txt", "1\n" + ", ".repeat(MIB) + "\n2\n");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals(1, result.stats().blank());
    }

    @Test
    void megabyteCsvFieldIsOneTooLongValue() throws Exception {
        IdLoadResult result = loadFile(loader, dir, "ids.csv",
                "firm_root_id,n\n1,a\n" + "7".repeat(5 * MIB) + ",b\n2,c\n");
        assertEquals(List.of(1L, 2L), longs(result));
        assertEquals(List.of(3L), lines(result));
        assertTrue(onlyReason(result).startsWith("value too long"), onlyReason(result));
    }

    @Test
    void megabyteQuotedFieldInAnotherColumnDoesNotDisturbTheIdColumn() throws Exception {
        String note = "\"" + "line, \"\"quoted\"\"\n".repeat(MIB / 16) + "\"";
        IdLoadResult result = loadFile(loader, dir, "ids.csv",
                "firm_root_id,note\n1," + note + "\n2,x\nbad,y\n");
        assertEquals(List.of(1L, 2L), longs(result));
        long noteLines = MIB / 16;
        assertEquals(List.of(noteLines + 4), lines(result));
        assertEquals(noteLines + 4, result.stats().lines());
    }

    @Test
    void unclosedQuoteOverManyLinesIsOneInvalidValue() throws Exception {
        IdLoadResult result = loadFile(loader, dir, "ids.csv",
                "firm_root_id\n1\n\"2\n" + "3\n".repeat(MIB) + "4\n");
        assertEquals(List.of(1L), longs(result));
        assertEquals(1, result.stats().invalid());
        assertEquals(List.of(3L), lines(result));
        assertEquals(MIB + 4, result.stats().lines());
    }

    @Test
    void recordWithTensOfThousandsOfColumnsIsCutButReadable() throws Exception {
        String wide = "1" + ",x".repeat(50_000);
        IdLoadResult result = loadFile(loader, dir, "ids.csv", "firm_root_id,a\n" + wide + "\n2,b\n");
        assertEquals(List.of(1L, 2L), longs(result));
    }

    @Test
    void controlCharactersInValuesAreEscapedInExamples() throws Exception {
        IdLoadResult result = loadFile(loader, dir, "ids.csv", "firm_root_id\n12\u0007\n");
        assertEquals(List.of("12\\u0007"), invalidValues(result));
    }

    @Test
    void idColumnNumberBeyondTheColumnCapIsRefused() {
        Path file = write(dir, "ids.csv", "a,b\n1,2\n");
        IdLoader far = IdFixtures.integers("20000");
        IdInputException e = assertThrows(IdInputException.class, () -> far.load(file));
        assertTrue(e.getMessage().contains("between 1 and 16384"), e.getMessage());
    }
}
