package dev.firmquery.tui.widget;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Shell-style completion of a typed path: the unique match is completed (with a trailing {@code /}
 * for a directory), several matches are completed to their longest common prefix and listed. The
 * typed form is kept ({@code ~/}, relative paths), so completing never surprises the user with a
 * rewritten path.
 */
public final class PathCompletion {
    /** Directories with more entries than this are completed from their first entries only. */
    public static final int MAX_ENTRIES = 20_000;

    private PathCompletion() {
    }

    /**
     * @param text       the completed text (the typed text when nothing could be completed)
     * @param candidates the matching names when there was more than one, sorted ({@code /} after directories)
     */
    public record Result(String text, List<String> candidates) {
        public Result {
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * Completes {@code typed}.
     *
     * @param cwd             what relative paths are relative to
     * @param home            what a leading {@code ~} stands for
     * @param directoriesOnly offer directories only (an output directory field)
     */
    public static Result complete(String typed, Path cwd, Path home, boolean directoriesOnly) {
        int slash = typed.lastIndexOf('/');
        String dirPart = slash >= 0 ? typed.substring(0, slash + 1) : "";
        String prefix = slash >= 0 ? typed.substring(slash + 1) : typed;
        Path dir;
        try {
            dir = resolve(dirPart.isEmpty() ? "." : dirPart, cwd, home);
        } catch (InvalidPathException e) {
            return new Result(typed, List.of());
        }
        if (!Files.isDirectory(dir)) {
            return new Result(typed, List.of());
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            int seen = 0;
            for (Path e : entries) {
                if (++seen > MAX_ENTRIES) {
                    break;
                }
                String name = e.getFileName().toString();
                if (!name.startsWith(prefix) || (name.startsWith(".") && !prefix.startsWith("."))) {
                    continue;
                }
                boolean isDir = Files.isDirectory(e);
                if (directoriesOnly && !isDir) {
                    continue;
                }
                names.add(isDir ? name + "/" : name);
            }
        } catch (IOException | SecurityException e) {
            return new Result(typed, List.of());
        }
        if (names.isEmpty()) {
            return new Result(typed, List.of());
        }
        names.sort(null);
        if (names.size() == 1) {
            return new Result(dirPart + names.get(0), List.of());
        }
        String common = names.get(0);
        for (String n : names) {
            int i = 0;
            while (i < common.length() && i < n.length() && common.charAt(i) == n.charAt(i)) {
                i++;
            }
            common = common.substring(0, i);
        }
        return new Result(dirPart + common, names);
    }

    /** {@code text} as a path: {@code ~} expanded, relative paths against {@code cwd}. */
    public static Path resolve(String text, Path cwd, Path home) {
        String t = text.strip();
        if (t.equals("~")) {
            return home;
        }
        if (t.startsWith("~/")) {
            return home.resolve(t.substring(2));
        }
        return cwd.resolve(t).normalize();
    }
}
