package dev.firmquery.ids;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** Builders and readers shared by the ID loading tests. */
final class IdFixtures {
    static final String BOM = "\uFEFF";

    private IdFixtures() {
    }

    static IdLoader integers() {
        return new IdLoader(IdLoadOptions.integers());
    }

    static IdLoader integers(String idColumn) {
        return new IdLoader(IdLoadOptions.integers().withIdColumn(idColumn));
    }

    static IdLoader integersWithLimits(int maxIds, int warningThreshold) {
        return new IdLoader(IdLoadOptions.integers().withLimits(maxIds, warningThreshold));
    }

    static IdLoader texts(String pattern) {
        return new IdLoader(IdLoadOptions.texts(Pattern.compile(pattern)));
    }

    static Path write(Path dir, String name, String content) {
        return write(dir, name, content.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads {@code content} written to a file called {@code name}, so the format comes from the name. */
    static IdLoadResult loadFile(IdLoader loader, Path dir, String name, String content) throws IdInputException {
        return loader.load(write(dir, name, content));
    }

    static IdLoadResult loadStream(IdLoader loader, String content, InputFormat format) throws IdInputException {
        return loader.load(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), "-", format);
    }

    static List<Long> longs(IdLoadResult result) {
        IdList ids = result.ids();
        List<Long> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            out.add(ids.longAt(i));
        }
        return out;
    }

    static List<String> strings(IdLoadResult result) {
        IdList ids = result.ids();
        List<String> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            out.add(ids.stringAt(i));
        }
        return out;
    }

    static List<Long> lines(IdLoadResult result) {
        return result.invalidExamples().stream().map(InvalidValue::line).toList();
    }

    static List<String> invalidValues(IdLoadResult result) {
        return result.invalidExamples().stream().map(InvalidValue::value).toList();
    }

    static String onlyReason(IdLoadResult result) {
        if (result.invalidExamples().size() != 1) {
            throw new AssertionError("expected exactly one invalid example, got " + result.invalidExamples());
        }
        return result.invalidExamples().get(0).reason();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
