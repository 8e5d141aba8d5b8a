package dev.firmquery.ids;

import java.io.IOException;
import java.io.Reader;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Sits between the decoded input and Commons CSV and keeps hostile input from growing the heap: every
 * field is cut to {@code maxField + 1} characters and every record to {@link #MAX_COLUMNS} fields, so a
 * multi-megabyte line or an unbalanced quote costs at most a few megabytes. It also notes the physical
 * line on which each record starts, for the line numbers of invalid examples, and which fields have
 * broken quoting (text after a closing quote, a quote never closed), which Commons CSV in lenient mode
 * would otherwise pass on as if they were fine.
 *
 * <p>To cut fields without changing how the rest parses, it follows the same RFC 4180 state machine as
 * Commons CSV with the format {@link CsvIdReader} builds (quote {@code "}, no escape, no comments, empty
 * lines kept, trailing data after a closing quote kept, end of input inside quotes allowed): structure
 * characters (quotes, delimiters, line ends) always pass; only field content beyond the cap is dropped.
 */
final class CsvGuardReader extends Reader {
    /** Columns read per record; Excel's limit. */
    static final int MAX_COLUMNS = 16_384;

    private static final int START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int QUOTE_PENDING = 3;
    private static final int AFTER_QUOTE = 4;

    private final Reader in;
    private final char delimiter;
    private final int maxField;

    private final char[] src = new char[8192];
    private final char[] out = new char[src.length * 2 + 2];
    private int outPos;
    private int outLen;
    private boolean ended;

    private int state = START;
    private int fieldLength;
    private int fieldIndex;
    private boolean dropRecord;
    private boolean atRecordStart = true;
    private boolean crEndedRecord;
    private boolean lastWasCr;
    private long line = 1;

    private long[] recordLines = new long[64];
    private int queueHead;
    private int queueSize;
    private long recordsStarted;
    private long recordsTaken;
    /** Fields with broken quoting, by record number; only for records not yet taken, and rare. */
    private final Map<Long, BitSet> brokenQuotes = new HashMap<>();
    private BitSet currentBroken;

    /**
     * @param delimiter the field delimiter, or {@link CsvIdReader#NO_DELIMITER} for a one-column file
     * @param maxField  content characters kept per field are {@code maxField + 1}
     */
    CsvGuardReader(Reader in, char delimiter, int maxField) {
        this.in = in;
        this.delimiter = delimiter;
        this.maxField = maxField;
    }

    /**
     * Moves on to the next record Commons CSV returned; call once per record.
     *
     * @return the 1-based line on which it started
     */
    long nextRecordLine() {
        if (queueSize == 0) {
            throw new IllegalStateException("more records than record starts: the guard and the parser disagree");
        }
        long value = recordLines[queueHead];
        queueHead = (queueHead + 1) % recordLines.length;
        queueSize--;
        recordsTaken++;
        currentBroken = brokenQuotes.isEmpty() ? null : brokenQuotes.remove(recordsTaken);
        return value;
    }

    /** Whether field {@code index} (0-based) of the current record has text after its closing quote or no closing quote. */
    boolean hasBrokenQuote(int index) {
        return currentBroken != null && currentBroken.get(index);
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (outPos == outLen) {
            if (ended) {
                return -1;
            }
            fillOut();
        }
        int n = Math.min(len, outLen - outPos);
        System.arraycopy(out, outPos, cbuf, off, n);
        outPos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void fillOut() throws IOException {
        outPos = 0;
        outLen = 0;
        int n = in.read(src, 0, src.length);
        if (n < 0) {
            ended = true;
            if (state == QUOTED && !atRecordStart) {
                markBroken();
            }
            if (state == QUOTE_PENDING && !dropRecord) {
                // The quote before the end of input closed the field.
                out[outLen++] = '"';
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            accept(src[i]);
        }
    }

    private void accept(char c) {
        if (atRecordStart) {
            if (c == '\n' && crEndedRecord) {
                // The LF of a CRLF whose CR ended the previous record.
                crEndedRecord = false;
                lastWasCr = false;
                out[outLen++] = c;
                return;
            }
            startRecord();
        }
        crEndedRecord = false;
        boolean eol = c == '\n' || c == '\r';
        if (c == '\r' || c == '\n' && !lastWasCr) {
            line++;
        }
        lastWasCr = c == '\r';

        switch (state) {
            case START:
                if (c == '"') {
                    state = QUOTED;
                    structure(c);
                } else if (c == delimiter) {
                    endField(c);
                } else if (eol) {
                    endRecord(c);
                } else {
                    state = UNQUOTED;
                    content(c);
                }
                break;
            case QUOTED:
                if (c == '"') {
                    state = QUOTE_PENDING;
                } else {
                    content(c);
                }
                break;
            case QUOTE_PENDING:
                if (c == '"') {
                    // A doubled quote: one literal quote in the content.
                    if (!dropRecord && fieldLength <= maxField) {
                        out[outLen++] = '"';
                        out[outLen++] = '"';
                    }
                    countContent();
                    state = QUOTED;
                    break;
                }
                structure('"');
                state = AFTER_QUOTE;
                afterContent(c, eol);
                break;
            default:
                afterContent(c, eol);
                break;
        }
    }

    /** UNQUOTED and AFTER_QUOTE: a delimiter or line end finishes the field, anything else is content. */
    private void afterContent(char c, boolean eol) {
        if (c == delimiter) {
            endField(c);
        } else if (eol) {
            endRecord(c);
        } else {
            if (state == AFTER_QUOTE && !Chars.isSpace(c)) {
                markBroken();
            }
            content(c);
        }
    }

    private void markBroken() {
        brokenQuotes.computeIfAbsent(recordsStarted, k -> new BitSet()).set(fieldIndex);
    }

    private void startRecord() {
        if (queueSize == recordLines.length) {
            long[] bigger = new long[recordLines.length * 2];
            for (int i = 0; i < queueSize; i++) {
                bigger[i] = recordLines[(queueHead + i) % recordLines.length];
            }
            recordLines = bigger;
            queueHead = 0;
        }
        recordLines[(queueHead + queueSize) % recordLines.length] = line;
        queueSize++;
        recordsStarted++;
        atRecordStart = false;
        state = START;
        fieldIndex = 0;
        fieldLength = 0;
        dropRecord = false;
    }

    private void structure(char c) {
        if (!dropRecord) {
            out[outLen++] = c;
        }
    }

    private void content(char c) {
        if (!dropRecord && fieldLength <= maxField) {
            out[outLen++] = c;
        }
        countContent();
    }

    private void countContent() {
        if (fieldLength <= maxField) {
            fieldLength++;
        }
    }

    private void endField(char c) {
        fieldIndex++;
        fieldLength = 0;
        state = START;
        if (fieldIndex >= MAX_COLUMNS) {
            dropRecord = true;
        }
        structure(c);
    }

    private void endRecord(char c) {
        out[outLen++] = c;
        atRecordStart = true;
        crEndedRecord = c == '\r';
        state = START;
    }
}
