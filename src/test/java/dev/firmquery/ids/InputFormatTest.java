package dev.firmquery.ids;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InputFormatTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "ids.csv, CSV",
            "IDS.CSV, CSV",
            "ids.tsv, TSV",
            "ids.tab, TSV",
            "ids.txt, TEXT",
            "ids, TEXT",
            "ids.csv.txt, TEXT",
            "archive.xlsx, XLSX",
            "IDS.XLSM, XLSX",
            "old.xls, TEXT",
    })
    void formatComesFromTheFileExtension(String name, InputFormat expected) {
        assertEquals(expected, InputFormat.forFileName(name));
    }

    @org.junit.jupiter.api.Test
    void noNameIsText() {
        assertEquals(InputFormat.TEXT, InputFormat.forFileName(null));
    }
}
