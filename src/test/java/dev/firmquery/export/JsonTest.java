package dev.firmquery.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void escapesQuoteBackslashAndTheShortControlEscapes() {
        assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\"", Json.quote("a\"b\\c\n\r\t\b\f"));
    }

    @Test
    void escapesEveryOtherControlCharacterAndDelAsUnicode() {
        assertEquals("\"\\u0000\\u0001\\u001f\\u007f\"", Json.quote("\u0000\u0001\u001f\u007f"));
    }

    @Test
    void escapesLineAndParagraphSeparatorsSoALineStaysOneLine() {
        assertEquals("\"a\\u2028b\\u2029c\"", Json.quote("a\u2028b\u2029c"));
    }

    @Test
    void keepsNonAsciiTextAndSurrogatePairsAsIs() {
        assertEquals("\"é 中 😀 /\"", Json.quote("é 中 😀 /"));
    }

    @Test
    void escapesUnpairedSurrogates() {
        assertEquals("\"\\ud800x\\udc00\"", Json.quote("\uD800x\uDC00"));
    }

    @Test
    void writesACompactDocumentOnOneLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        Json json = Json.compact(sb);
        json.beginObject()
                .name("status").value("completed")
                .name("rows").value(12L)
                .name("ratio").value(0.5)
                .name("ok").value(true)
                .name("missing").nullValue()
                .name("files").beginArray().value("a.csv").value("b\nc.xlsx").endArray()
                .name("empty").beginObject().endObject()
                .endObject();

        assertEquals("{\"status\":\"completed\",\"rows\":12,\"ratio\":0.5,\"ok\":true,"
                + "\"missing\":null,\"files\":[\"a.csv\",\"b\\nc.xlsx\"],\"empty\":{}}",
                sb.toString());
        assertTrue(json.isComplete());
    }

    @Test
    void prettyPrintsWithTwoSpaceIndentAndATrailingNewline() throws IOException {
        StringBuilder sb = new StringBuilder();
        Json.pretty(sb).beginObject()
                .name("ids").beginObject().name("valid").value(2L).endObject()
                .name("list").beginArray().value(1L).value(2L).endArray()
                .name("none").beginArray().endArray()
                .endObject();

        assertEquals("""
                {
                  "ids": {
                    "valid": 2
                  },
                  "list": [
                    1,
                    2
                  ],
                  "none": []
                }
                """, sb.toString());
    }

    @Test
    void writesNumbersPlainAndNonFiniteDoublesAsNull() throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("big", new BigDecimal("1E+3"));
        values.put("whole", 3.0);
        values.put("nan", Double.NaN);
        values.put("int", 7);
        values.put("small", 1.5e-7);
        assertEquals("{\"big\":1000,\"whole\":3,\"nan\":null,\"int\":7,\"small\":1.5E-7}",
                Json.toJson(values));
    }

    @Test
    void writesMapsListsAndArraysThroughValueObject() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("examples", List.of(Map.of("line", 3), "x"));
        report.put("ids", new long[] {1, 2});
        assertEquals("{\"examples\":[{\"line\":3},\"x\"],\"ids\":[1,2]}", Json.toJson(report));
    }

    @Test
    void rejectsAValueWithoutANameInsideAnObject() throws IOException {
        Json json = Json.compact(new StringBuilder()).beginObject();
        assertThrows(IllegalStateException.class, () -> json.value("orphan"));
    }

    @Test
    void rejectsANameOutsideAnObject() throws IOException {
        Json json = Json.compact(new StringBuilder()).beginArray();
        assertThrows(IllegalStateException.class, () -> json.name("key"));
    }

    @Test
    void rejectsMismatchedEndsAndAMissingMemberValue() throws IOException {
        Json array = Json.compact(new StringBuilder()).beginArray();
        assertThrows(IllegalStateException.class, array::endObject);
        Json object = Json.compact(new StringBuilder()).beginObject().name("k");
        assertThrows(IllegalStateException.class, object::endObject);
    }

    @Test
    void rejectsASecondTopLevelValue() throws IOException {
        Json json = Json.compact(new StringBuilder()).value(1L);
        assertThrows(IllegalStateException.class, () -> json.value(2L));
    }

    @Test
    void isNotCompleteWhileAContainerIsOpen() throws IOException {
        Json json = Json.compact(new StringBuilder()).beginObject();
        assertFalse(json.isComplete());
    }
}
