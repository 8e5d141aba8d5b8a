package dev.firmquery.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A value whose Java type is not the one its column's kind documents is a programming error in
 * whoever produced the row: every writer refuses it, for every kind, naming the column, the type it
 * got and the type it expected (see also ChunkSpoolTest for the spool).
 */
@DisplayName("a value of the wrong Java type")
class ValueMismatchTest {

    /** No kind is carried as a Character. */
    private static final Object FOREIGN = 'x';

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(ColumnKind.class)
    void isRefusedByTheCsvRecords(ColumnKind kind) {
        Column column = Rows.column("the_column", kind);
        CsvRecords records = new CsvRecords(List.of(column));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> records.append(Rows.row(FOREIGN), new StringBuilder()));

        assertNamesColumnAndTypes(kind, e);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ColumnKind.class)
    void isRefusedByTheXlsxWriter(ColumnKind kind) throws IOException {
        Column column = Rows.column("the_column", kind);
        try (XlsxResultWriter writer = new XlsxResultWriter(dir.resolve(kind + ".xlsx"), OutputFile.OWNER_READ_WRITE,
                "firmquery", "0.1.0", XlsxResultWriter.EXCEL_MAX_DATA_ROWS)) {
            writer.begin(List.of(column));

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> writer.row(Rows.row(FOREIGN)));

            assertNamesColumnAndTypes(kind, e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ColumnKind.class)
    void namesTheTypeItsKindDocuments(ColumnKind kind) {
        Column column = Rows.column("the_column", kind);

        IllegalArgumentException e = ValueMismatch.of(column, FOREIGN);

        assertEquals("Column 'the_column' (" + kind + ", database type " + Rows.typeName(kind)
                + ") got a java.lang.Character; expected " + ValueMismatch.expectedType(kind).getName()
                + " as documented on ColumnKind", e.getMessage());
    }

    private static void assertNamesColumnAndTypes(ColumnKind kind, IllegalArgumentException e) {
        String message = e.getMessage();
        assertTrue(message.contains("'the_column'"), message);
        assertTrue(message.contains("got a java.lang.Character"), message);
        assertTrue(message.contains("expected " + ValueMismatch.expectedType(kind).getName()), message);
    }
}
