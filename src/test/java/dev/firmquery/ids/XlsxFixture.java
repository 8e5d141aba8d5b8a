package dev.firmquery.ids;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds small {@code .xlsx} workbooks by hand, part by part, so a test controls exactly what each cell
 * holds: shared or inline strings, numbers as stored ({@code 1.2E7}), formulas with or without a saved
 * result, gaps between rows; and hostile parts that no spreadsheet writes.
 */
final class XlsxFixture {
    private final Map<String, List<String>> sheets = new LinkedHashMap<>();
    private final List<String> shared = new ArrayList<>();
    private final Map<String, byte[]> extraParts = new LinkedHashMap<>();
    private List<String> rows;

    /** Starts a sheet; the rows added next belong to it. */
    XlsxFixture sheet(String name) {
        rows = new ArrayList<>();
        sheets.put(name, rows);
        return this;
    }

    /** A row numbered {@code r}, of the cells given (see {@link #text}, {@link #number}, ...). */
    XlsxFixture row(int r, String... cells) {
        rows.add("<row r=\"" + r + "\">" + String.join("", cells) + "</row>");
        return this;
    }

    /** A raw part added to the zip as it is. */
    XlsxFixture part(String name, byte[] content) {
        extraParts.put(name, content);
        return this;
    }

    /** A text cell held in the shared strings table, as Excel writes text. */
    String text(String ref, String value) {
        int index = shared.indexOf(value);
        if (index < 0) {
            shared.add(value);
            index = shared.size() - 1;
        }
        return "<c r=\"" + ref + "\" t=\"s\"><v>" + index + "</v></c>";
    }

    /** A text cell held in the cell itself. */
    static String inline(String ref, String value) {
        return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">" + escape(value) + "</t></is></c>";
    }

    /** A numeric cell, its value written as stored ({@code 12}, {@code 1.2E7}, {@code 1.5}). */
    static String number(String ref, String stored) {
        return "<c r=\"" + ref + "\"><v>" + stored + "</v></c>";
    }

    /** A formula cell with a numeric saved result. */
    static String formula(String ref, String formula, String savedNumber) {
        return "<c r=\"" + ref + "\"><f>" + escape(formula) + "</f><v>" + savedNumber + "</v></c>";
    }

    /** A formula cell with a text saved result. */
    static String textFormula(String ref, String formula, String savedText) {
        return "<c r=\"" + ref + "\" t=\"str\"><f>" + escape(formula) + "</f><v>" + escape(savedText) + "</v></c>";
    }

    /** A formula cell without a saved result, as programs that do not calculate write them. */
    static String unsavedFormula(String ref, String formula) {
        return "<c r=\"" + ref + "\"><f>" + escape(formula) + "</f></c>";
    }

    /** A TRUE/FALSE cell. */
    static String bool(String ref, boolean value) {
        return "<c r=\"" + ref + "\" t=\"b\"><v>" + (value ? 1 : 0) + "</v></c>";
    }

    /** A cell holding an error such as {@code #N/A}. */
    static String error(String ref, String error) {
        return "<c r=\"" + ref + "\" t=\"e\"><v>" + escape(error) + "</v></c>";
    }

    Path write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            StringBuilder types = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                    + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                    + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                    + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                    + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>");
            StringBuilder workbook = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                    + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                    + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>");
            StringBuilder rels = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                    + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
            int n = 0;
            for (Map.Entry<String, List<String>> sheet : sheets.entrySet()) {
                n++;
                types.append("<Override PartName=\"/xl/worksheets/sheet").append(n).append(".xml\" ContentType=\"")
                        .append("application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
                workbook.append("<sheet name=\"").append(escape(sheet.getKey())).append("\" sheetId=\"").append(n)
                        .append("\" r:id=\"rId").append(n).append("\"/>");
                rels.append("<Relationship Id=\"rId").append(n).append("\" Type=\"http://schemas.openxmlformats.org/")
                        .append("officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet").append(n)
                        .append(".xml\"/>");
                String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                        + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                        + String.join("", sheet.getValue()) + "</sheetData></worksheet>";
                put(zip, "xl/worksheets/sheet" + n + ".xml", xml.getBytes(StandardCharsets.UTF_8));
            }
            if (!shared.isEmpty()) {
                types.append("<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/")
                        .append("vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>");
                rels.append("<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/")
                        .append("relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>");
                StringBuilder sst = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                        + "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\""
                        + shared.size() + "\" uniqueCount=\"" + shared.size() + "\">");
                for (String s : shared) {
                    sst.append("<si><t xml:space=\"preserve\">").append(escape(s)).append("</t></si>");
                }
                sst.append("</sst>");
                put(zip, "xl/sharedStrings.xml", sst.toString().getBytes(StandardCharsets.UTF_8));
            }
            types.append("</Types>");
            workbook.append("</sheets></workbook>");
            rels.append("</Relationships>");
            put(zip, "[Content_Types].xml", types.toString().getBytes(StandardCharsets.UTF_8));
            put(zip, "_rels/.rels", ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                    + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                    + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                    + "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")
                    .getBytes(StandardCharsets.UTF_8));
            put(zip, "xl/workbook.xml", workbook.toString().getBytes(StandardCharsets.UTF_8));
            put(zip, "xl/_rels/workbook.xml.rels", rels.toString().getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> extra : extraParts.entrySet()) {
                put(zip, extra.getKey(), extra.getValue());
            }
        }
        return file;
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
