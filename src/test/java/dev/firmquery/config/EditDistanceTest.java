package dev.firmquery.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Edit distances for \"did you mean\" suggestions")
class EditDistanceTest {

    @Test
    @DisplayName("optimal string alignment counts an adjacent swap as one edit")
    void optimalStringAlignment() {
        assertEquals(0, EditDistance.optimalStringAlignment("host", "host"));
        assertEquals(1, EditDistance.optimalStringAlignment("hots", "host"));
        assertEquals(1, EditDistance.optimalStringAlignment("chunksize", "chunk_size"));
        assertEquals(3, EditDistance.optimalStringAlignment("", "abc"));
    }

    @Test
    @DisplayName("Levenshtein counts an adjacent swap as two edits")
    void levenshtein() {
        assertEquals(0, EditDistance.levenshtein("host", "host"));
        assertEquals(2, EditDistance.levenshtein("hots", "host"));
        assertEquals(1, EditDistance.levenshtein("chunksize", "chunk_size"));
        assertEquals(3, EditDistance.levenshtein("", "abc"));
        assertEquals(3, EditDistance.levenshtein("kitten", "sitting"));
    }
}
