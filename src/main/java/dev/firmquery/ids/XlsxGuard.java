package dev.firmquery.ids;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;

/**
 * Checks a workbook before {@link XlsxIdReader} hands it to FastExcel's reader, whose memory use
 * follows the file's content: it allocates a row's cells up to the highest column a cell claims, keeps
 * every shared string it has read, and builds each text node as one string. A workbook is a zip of
 * XML parts, and a few kilobytes of zip can inflate to gigabytes (a "zip bomb"); a cell can claim
 * column 2,000,000,000. So every entry of the zip is inflated once here, counting the bytes that really
 * come out (the sizes the zip declares can lie), and every XML part is parsed with the same StAX
 * parser, checking cell references and text lengths, before any row is read.
 *
 * <p>The limits are far above what a real ID workbook needs: Excel's own grid is 1,048,576 rows by
 * 16,384 columns (Microsoft, "Excel specifications and limits"), and a full sheet of one numeric ID
 * column is about 60 MB of XML. The inflate ratio follows Apache POI's {@code ZipSecureFile}, which
 * refuses an entry that inflates more than 100 times ({@code MIN_INFLATE_RATIO} 0.01); XLSX parts
 * compress 5 to 30 times.
 *
 * <p>The parse runs with DTDs and external entities off (no entity expansion, no fetches), as
 * FastExcel's own reader does.
 */
final class XlsxGuard {
    /** Excel's last row (Microsoft, "Excel specifications and limits"). */
    static final int MAX_ROWS = 1_048_576;
    /** Excel's last column, XFD. */
    static final int MAX_COLUMNS = 16_384;
    /** One worksheet part, inflated: a full grid of a few short columns fits. */
    static final long MAX_SHEET_BYTES = 512L << 20;
    /** The shared strings part, which the reader keeps in memory as it reads: 1M 40-character IDs are ~60 MB. */
    static final long MAX_SHARED_STRINGS_BYTES = 256L << 20;
    /** Any other part (workbook, styles, relationships, pictures...). */
    static final long MAX_OTHER_PART_BYTES = 64L << 20;
    /** All parts together, inflated. */
    static final long MAX_TOTAL_BYTES = 1L << 30;
    /** More inflated bytes than this many times the compressed ones is a zip bomb (POI's 0.01 ratio). */
    static final long MAX_INFLATE_RATIO = 100;
    /** Parts smaller than this are not held to the ratio: tiny XML compresses oddly well. */
    static final long RATIO_GRACE_BYTES = 1L << 20;
    /** Entries in the zip; a workbook has a dozen or so. */
    static final int MAX_ENTRIES = 10_000;
    /** One text node or attribute value, in characters; Excel's cell limit is 32,767. */
    static final int MAX_TEXT_CHARS = 1 << 20;

    private static final XMLInputFactory XML = newFactory();

    private XlsxGuard() {
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
        return f;
    }

    /**
     * Inflates and checks every entry of {@code file}.
     *
     * @param where how messages name the file
     * @throws IdInputException naming the part, what is wrong with it and the fix
     */
    static void check(Path file, String where) throws IdInputException {
        long fileBytes = file.toFile().length();
        long total = 0;
        int entries = 0;
        try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
            Enumeration<ZipArchiveEntry> all = zip.getEntries();
            while (all.hasMoreElements()) {
                ZipArchiveEntry entry = all.nextElement();
                if (++entries > MAX_ENTRIES) {
                    throw refused(where, String.format(Locale.ROOT, "it has more than %,d parts; a workbook has a "
                            + "few dozen", MAX_ENTRIES));
                }
                if (entry.isDirectory()) {
                    continue;
                }
                long compressed = Math.max(1, Math.min(entry.getCompressedSize() < 0 ? fileBytes
                        : entry.getCompressedSize(), fileBytes));
                try (Counted in = new Counted(zip.getInputStream(entry), where, entry.getName(), compressed,
                        MAX_TOTAL_BYTES - total)) {
                    scan(in, where);
                    total += in.count;
                }
            }
        } catch (InputRejectedException e) {
            throw new IdInputException(e.getMessage(), e);
        } catch (IOException e) {
            throw new IdInputException(where + ": cannot read the workbook: " + e.getMessage() + "; is it an .xlsx "
                    + "file saved by Excel or LibreOffice? Save it again as \"Excel Workbook (.xlsx)\", or export "
                    + "the ID column as CSV", e);
        }
    }

    /** Parses a part that looks like XML, else only inflates it. */
    private static void scan(Counted in, String where) throws IOException {
        PushbackInputStream peek = new PushbackInputStream(in, 1);
        int b = peek.read();
        while (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
            b = peek.read();
        }
        if (b < 0) {
            return;
        }
        peek.unread(b);
        if (b != '<' && b != 0xEF) {
            in.limit(MAX_OTHER_PART_BYTES);
            peek.transferTo(OutputStream.nullOutputStream());
            return;
        }
        XMLStreamReader xml;
        try {
            xml = XML.createXMLStreamReader(peek);
        } catch (XMLStreamException e) {
            throw new InputRejectedException(where + ": part " + in.name + " of the workbook is not valid XML ("
                    + e.getMessage() + "); save the workbook again in Excel, or export the ID column as CSV");
        }
        try {
            parse(xml, in, where);
        } catch (XMLStreamException | RuntimeException e) {
            // Our own refusal, raised by Counted while the parser read, comes back wrapped: StAX wraps it in
            // an XMLStreamException, Aalto in its UncheckedStreamException.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InputRejectedException r) {
                    throw r;
                }
                if (t instanceof XMLStreamException x && x.getNestedException() instanceof InputRejectedException r) {
                    throw r;
                }
            }
            if (e instanceof RuntimeException && !(e.getCause() instanceof XMLStreamException)
                    && !(e.getCause() instanceof IOException)) {
                throw (RuntimeException) e;
            }
            throw new InputRejectedException(where + ": part " + in.name + " of the workbook is not valid XML ("
                    + e.getMessage() + "); save the workbook again in Excel, or export the ID column as CSV");
        } finally {
            try {
                xml.close();
            } catch (XMLStreamException ignored) {
                // close() only releases the parser's buffers; the stream is closed by the caller
            }
        }
    }

    private static void parse(XMLStreamReader xml, Counted in, String where) throws XMLStreamException,
            InputRejectedException {
        boolean root = true;
        int rows = 0;
        int cellsInRow = 0;
        long textRun = 0;
        while (xml.hasNext()) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    textRun = 0;
                    String name = xml.getLocalName();
                    if (root) {
                        root = false;
                        in.limit(switch (name) {
                            case "worksheet" -> MAX_SHEET_BYTES;
                            case "sst" -> MAX_SHARED_STRINGS_BYTES;
                            default -> MAX_OTHER_PART_BYTES;
                        });
                    }
                    for (int i = 0; i < xml.getAttributeCount(); i++) {
                        if (xml.getAttributeValue(i).length() > MAX_TEXT_CHARS) {
                            throw new InputRejectedException(String.format(Locale.ROOT, "%s: part %s of the workbook "
                                    + "has an attribute of more than %,d characters; no workbook Excel writes has "
                                    + "one. Export the ID column as CSV", where, in.name, MAX_TEXT_CHARS));
                        }
                    }
                    if (name.equals("row")) {
                        cellsInRow = 0;
                        if (++rows > MAX_ROWS) {
                            throw tooLarge(where, in.name, String.format(Locale.ROOT, "more than %,d rows", MAX_ROWS));
                        }
                        String r = xml.getAttributeValue(null, "r");
                        if (r != null && !validRowNumber(r)) {
                            throw tooLarge(where, in.name, "a row numbered " + Chars.display(r));
                        }
                    } else if (name.equals("c")) {
                        if (++cellsInRow > MAX_COLUMNS) {
                            throw tooLarge(where, in.name, String.format(Locale.ROOT, "a row of more than %,d cells",
                                    MAX_COLUMNS));
                        }
                        String r = xml.getAttributeValue(null, "r");
                        if (r != null && !validCellReference(r)) {
                            throw tooLarge(where, in.name, "a cell at " + Chars.display(r));
                        }
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    textRun += xml.getTextLength();
                    if (textRun > MAX_TEXT_CHARS) {
                        throw new InputRejectedException(String.format(Locale.ROOT, "%s: part %s of the workbook "
                                + "has a text of more than %,d characters; a cell holds at most 32,767. Export the ID "
                                + "column as CSV", where, in.name, MAX_TEXT_CHARS));
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> textRun = 0;
                default -> {
                    // processing instructions, comments, the document's end: nothing to check
                }
            }
        }
    }

    /** {@code 1}..{@value #MAX_ROWS}. */
    static boolean validRowNumber(String r) {
        if (r.isEmpty() || r.length() > 7 || !IdCollector.isAsciiDigits(r)) {
            return false;
        }
        int n = Integer.parseInt(r);
        return n >= 1 && n <= MAX_ROWS;
    }

    /** {@code A1}..{@code XFD1048576}, with optional {@code $} markers. */
    static boolean validCellReference(String r) {
        int i = 0;
        int n = r.length();
        if (i < n && r.charAt(i) == '$') {
            i++;
        }
        int column = 0;
        int letters = 0;
        while (i < n && Character.isLetter(r.charAt(i)) && r.charAt(i) < 0x80) {
            column = column * 26 + (Character.toUpperCase(r.charAt(i)) - 'A' + 1);
            if (++letters > 3) {
                return false;
            }
            i++;
        }
        if (letters == 0 || column > MAX_COLUMNS) {
            return false;
        }
        if (i < n && r.charAt(i) == '$') {
            i++;
        }
        return validRowNumber(r.substring(i));
    }

    private static InputRejectedException tooLarge(String where, String part, String what) {
        return new InputRejectedException(String.format(Locale.ROOT, "%s: the sheet in part %s has %s, beyond "
                + "Excel's grid of %,d rows and %,d columns; this is not a workbook Excel wrote. Save it again in "
                + "Excel, or export the ID column as CSV", where, part, what, MAX_ROWS, MAX_COLUMNS));
    }

    private static IdInputException refused(String where, String why) {
        return new IdInputException(where + ": refused as a workbook: " + why + ". Save it again in Excel, or export "
                + "the ID column as CSV");
    }

    /** Counts inflated bytes, refusing past the part's limit, the run's total or the inflate ratio. */
    private static final class Counted extends FilterInputStream {
        final String name;
        private final String where;
        private final long compressed;
        private final long totalLeft;
        private long limit = MAX_OTHER_PART_BYTES;
        long count;

        Counted(InputStream in, String where, String name, long compressed, long totalLeft) {
            super(in);
            this.where = where;
            this.name = Chars.display(name);
            this.compressed = compressed;
            this.totalLeft = totalLeft;
        }

        void limit(long bytes) {
            this.limit = bytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        /** Reads through, so that skipped bytes are counted too. */
        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        private void add(int n) throws InputRejectedException {
            count += n;
            if (count > limit) {
                throw new InputRejectedException(String.format(Locale.ROOT, "%s: part %s of the workbook inflates to "
                        + "more than %,d MB, the most this program reads from one part; refused as a possible "
                        + "zip bomb. An ID list this size belongs in a CSV file", where, name, limit >> 20));
            }
            if (count > totalLeft) {
                throw new InputRejectedException(String.format(Locale.ROOT, "%s: the workbook inflates to more than "
                        + "%,d MB in all, the most this program reads; refused as a possible zip bomb. Keep only "
                        + "the ID sheet, or export the ID column as CSV", where, MAX_TOTAL_BYTES >> 20));
            }
            if (count > RATIO_GRACE_BYTES && count / compressed > MAX_INFLATE_RATIO) {
                throw new InputRejectedException(String.format(Locale.ROOT, "%s: part %s of the workbook inflates more "
                        + "than %d times (%,d compressed bytes to over %,d); refused as a zip bomb. Save the workbook "
                        + "again in Excel, or export the ID column as CSV", where, name, MAX_INFLATE_RATIO,
                        compressed, count));
            }
        }
    }
}
