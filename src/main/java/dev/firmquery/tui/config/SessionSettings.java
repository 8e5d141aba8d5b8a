package dev.firmquery.tui.config;

import dev.firmquery.config.FileNamePattern;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.config.AppConfig;
import dev.firmquery.config.ConfigKey;
import dev.firmquery.config.ValueType;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The values a user may change for the UI session (configuration and input windows): chunk size,
 * retries, output directory, formats and file name pattern. They override the loaded configuration for
 * the runs of this session only; nothing is written back to a file.
 *
 * <p>The fields are the keys {@link ConfigKey#sessionKeys()} names; their ranges and the file-name rules
 * are those of the {@link ConfigKey} table, which the configuration validator checks too, so a value
 * accepted here would be accepted in a configuration file.
 *
 * @param chunkSize       {@code processing.chunk_size}
 * @param maxRetries      {@code processing.max_retries}
 * @param outputDirectory {@code output.default_directory}
 * @param filenamePattern {@code output.filename_pattern}
 * @param formats         {@code output.formats}, at least one
 * @param csvGzip         {@code output.csv_gzip}
 */
public record SessionSettings(int chunkSize, int maxRetries, Path outputDirectory, String filenamePattern,
                              Set<Format> formats, boolean csvGzip) {

    public SessionSettings {
        formats = Set.copyOf(formats);
    }

    /** The values of a loaded configuration. */
    /**
     * These values with those of the {@code locked} keys ({@code section.key}) taken from {@code configured}:
     * a session never changes what the administrator's policy fixed.
     */
    public SessionSettings keeping(Set<String> locked, SessionSettings configured) {
        return new SessionSettings(
                locked.contains(ConfigKey.PROCESSING_CHUNK_SIZE.key()) ? configured.chunkSize() : chunkSize,
                locked.contains(ConfigKey.PROCESSING_MAX_RETRIES.key()) ? configured.maxRetries() : maxRetries,
                locked.contains(ConfigKey.OUTPUT_DEFAULT_DIRECTORY.key()) ? configured.outputDirectory() : outputDirectory,
                locked.contains(ConfigKey.OUTPUT_FILENAME_PATTERN.key()) ? configured.filenamePattern() : filenamePattern,
                locked.contains(ConfigKey.OUTPUT_FORMATS.key()) ? configured.formats() : formats,
                locked.contains(ConfigKey.OUTPUT_CSV_GZIP.key()) ? configured.csvGzip() : csvGzip);
    }

    public static SessionSettings of(AppConfig config) {
        return new SessionSettings(config.processing().chunkSize(), config.processing().maxRetries(),
                config.output().defaultDirectory(), config.output().filenamePattern(), config.output().formats(),
                config.output().csvGzip());
    }

    /** {@code base} with these values in place. */
    public AppConfig applyTo(AppConfig base) {
        AppConfig.Processing p = base.processing();
        AppConfig.Processing processing = new AppConfig.Processing(chunkSize, p.maxQueryLength(), maxRetries,
                p.retryDelay(), p.threadCount(), p.idType(), p.idPattern(), p.idBinding(), p.allowWrites(),
                p.fetchSize(), p.outageWait(), p.idOrder(), p.genericPlans(), p.chunksPerRoundTrip());
        AppConfig.Output output = new AppConfig.Output(outputDirectory, filenamePattern, formats, csvGzip,
                base.output().fileMode(), base.output().csvFormulaGuard(), base.output().csvDialect());
        return new AppConfig(base.application(), base.database(), base.kerberos(), processing, output, base.logging(),
                base.policy(), base.metrics());
    }

    /** The configuration keys whose value differs from {@code base}, with the value as shown to the user. */
    public Map<String, String> differencesFrom(SessionSettings base) {
        Map<String, String> d = new LinkedHashMap<>();
        if (chunkSize != base.chunkSize) {
            d.put(ConfigKey.PROCESSING_CHUNK_SIZE.key(), Integer.toString(chunkSize));
        }
        if (maxRetries != base.maxRetries) {
            d.put(ConfigKey.PROCESSING_MAX_RETRIES.key(), Integer.toString(maxRetries));
        }
        if (!outputDirectory.equals(base.outputDirectory)) {
            d.put(ConfigKey.OUTPUT_DEFAULT_DIRECTORY.key(), outputDirectory.toString());
        }
        if (!filenamePattern.equals(base.filenamePattern)) {
            d.put(ConfigKey.OUTPUT_FILENAME_PATTERN.key(), filenamePattern);
        }
        if (!formats.equals(base.formats)) {
            d.put(ConfigKey.OUTPUT_FORMATS.key(), formatList(formats));
        }
        if (csvGzip != base.csvGzip) {
            d.put(ConfigKey.OUTPUT_CSV_GZIP.key(), Boolean.toString(csvGzip));
        }
        return d;
    }

    /** {@code csv,xlsx}, in that order. */
    public static String formatList(Set<Format> formats) {
        List<String> l = new ArrayList<>();
        for (Format f : Format.values()) {
            if (formats.contains(f)) {
                l.add(f.name().toLowerCase(Locale.ROOT));
            }
        }
        return String.join(",", l);
    }

    /** Parsed form fields: the settings, or what is wrong with them. */
    public record Parsed(SessionSettings settings, List<String> problems) {
        public Parsed {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Reads the form fields of the configuration or input window.
     *
     * @param home the user's home, for a leading {@code ~} in the directory
     */
    public static Parsed parse(String chunkSize, String maxRetries, String directory, String pattern, boolean csv,
                               boolean xlsx, boolean gzip, Path home) {
        return parse(chunkSize, maxRetries, directory, pattern, csv, xlsx, false, gzip, home);
    }

    /**
     * As above; {@code jsonl} keeps JSON Lines, which the forms have no box for, when the configuration
     * asked for it ({@code output.formats}).
     */
    public static Parsed parse(String chunkSize, String maxRetries, String directory, String pattern, boolean csv,
                               boolean xlsx, boolean jsonl, boolean gzip, Path home) {
        List<String> problems = new ArrayList<>();
        int chunk = whole("Chunk size", ConfigKey.PROCESSING_CHUNK_SIZE, chunkSize, problems);
        int retries = whole("Max retries", ConfigKey.PROCESSING_MAX_RETRIES, maxRetries, problems);
        Path dir = null;
        String d = directory == null ? "" : directory.strip();
        if (d.isEmpty()) {
            problems.add("Output directory is empty; enter a directory (it is created if absent), e.g. ./output");
        } else {
            try {
                dir = d.equals("~") ? home : d.startsWith("~/") ? home.resolve(d.substring(2)) : Path.of(d);
            } catch (InvalidPathException e) {
                problems.add("Output directory '" + d + "' is not a valid path: " + e.getReason());
            }
        }
        String p = pattern == null ? "" : pattern.strip();
        String patternProblem = patternProblem(p);
        if (patternProblem != null) {
            problems.add("File name pattern '" + p + "': " + patternProblem + " (" + ConfigKey.OUTPUT_FILENAME_PATTERN + ")");
        }
        Set<Format> formats = EnumSet.noneOf(Format.class);
        if (csv) {
            formats.add(Format.CSV);
        }
        if (xlsx) {
            formats.add(Format.XLSX);
        }
        if (jsonl) {
            formats.add(Format.JSONL);
        }
        if (formats.isEmpty()) {
            problems.add("No output format is ticked; tick CSV, XLSX or both (" + ConfigKey.OUTPUT_FORMATS + ")");
        }
        if (!problems.isEmpty()) {
            return new Parsed(null, problems);
        }
        return new Parsed(new SessionSettings(chunk, retries, dir, p, formats, gzip), List.of());
    }

    /** Why {@code pattern} is not a usable file name stem, or null; the rules of the configuration validator. */
    public static String patternProblem(String pattern) {
        if (pattern.isEmpty()) {
            return "is empty; enter a file name stem such as firm_query_{timestamp}";
        }
        return ConfigKey.OUTPUT_FILENAME_PATTERN.type(FileNamePattern.class)
                .problem(pattern, "choose the directory in the output directory field").orElse(null);
    }

    /** {@code 1 to 10,000}: a whole-number key's range as the form shows it. */
    static String range(ConfigKey key) {
        ValueType.Whole range = key.type(ValueType.Whole.class);
        return String.format(Locale.ROOT, "%,d to %,d", range.min(), range.max());
    }

    private static int whole(String label, ConfigKey key, String text, List<String> problems) {
        ValueType.Whole range = key.type(ValueType.Whole.class);
        String t = text == null ? "" : text.strip().replace("_", "").replace(",", "");
        try {
            int v = Integer.parseInt(t);
            if (!range.contains(v)) {
                problems.add(String.format(Locale.ROOT, "%s %,d is out of range; enter %s (%s)", label, v, range(key),
                        key));
            }
            return v;
        } catch (NumberFormatException e) {
            problems.add(String.format(Locale.ROOT, "%s '%s' is not a whole number; enter %s (%s)", label,
                    text == null ? "" : text.strip(), range(key), key));
            return range.min();
        }
    }
}
