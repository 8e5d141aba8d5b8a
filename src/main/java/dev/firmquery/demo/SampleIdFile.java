package dev.firmquery.demo;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What {@link DemoData#writeSampleIds} wrote. Line numbers are physical lines, 1-based, the header
 * being line 1.
 *
 * @param path          the file
 * @param lines         physical lines including the header
 * @param values        non-blank data lines: {@code distinctIds + duplicates + invalid}
 * @param distinctIds   distinct valid IDs: {@code presentIds + absentIds}
 * @param presentIds    distinct valid IDs that exist in the table
 * @param absentIds     distinct valid IDs that do not exist in the table
 * @param duplicates    lines repeating a valid ID seen on an earlier line
 * @param invalid       lines with a value that is not a valid integer ID
 * @param blankLines    empty or whitespace-only data lines
 * @param crlfLines     lines ending in CRLF (the others end in LF)
 * @param ids           the distinct valid IDs in first-seen order (a copy on each call)
 * @param absent        the distinct absent IDs in first-seen order (a copy on each call)
 * @param invalidLines  each invalid value with its line number, in file order
 */
public record SampleIdFile(Path path, int lines, int values, int distinctIds, int presentIds, int absentIds,
                           int duplicates, int invalid, int blankLines, int crlfLines, long[] ids, long[] absent,
                           List<InvalidLine> invalidLines) {

    /** An invalid value and the line it is on. */
    public record InvalidLine(int line, String value) {
    }

    public SampleIdFile {
        Objects.requireNonNull(path, "path");
        ids = ids.clone();
        absent = absent.clone();
        invalidLines = List.copyOf(invalidLines);
    }

    @Override
    public long[] ids() {
        return ids.clone();
    }

    @Override
    public long[] absent() {
        return absent.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SampleIdFile other
                && path.equals(other.path) && lines == other.lines && values == other.values
                && distinctIds == other.distinctIds && presentIds == other.presentIds && absentIds == other.absentIds
                && duplicates == other.duplicates && invalid == other.invalid && blankLines == other.blankLines
                && crlfLines == other.crlfLines && Arrays.equals(ids, other.ids) && Arrays.equals(absent, other.absent)
                && invalidLines.equals(other.invalidLines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, lines, distinctIds, duplicates, invalid, blankLines, Arrays.hashCode(ids));
    }

    /** Counts only: the ID arrays can be a million long. */
    @Override
    public String toString() {
        return "SampleIdFile[" + path + ": " + lines + " lines, " + distinctIds + " distinct IDs (" + presentIds
                + " present, " + absentIds + " absent), " + duplicates + " duplicates, " + invalid + " invalid, "
                + blankLines + " blank, " + crlfLines + " CRLF]";
    }
}
