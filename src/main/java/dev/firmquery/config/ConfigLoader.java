package dev.firmquery.config;

import dev.firmquery.posix.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * Loads the effective configuration from its layers, lowest precedence first:
 * <ol>
 *   <li>the defaults, {@code config/default.yaml}: the file under the application home when it exists (so
 *       edits in a source checkout apply), else the copy on the classpath;</li>
 *   <li>the system file, {@code /etc/firmquery/config.yaml} (or {@code FIRMQUERY_SYSTEM_CONFIG}) when it
 *       exists: the administrator's values and the only source of the {@code policy} section
 *       ({@link SystemLayer});</li>
 *   <li>the user file: {@code --config FILE}, else {@code ~/.config/firmquery/config.yaml} when it exists;</li>
 *   <li>the environment overlay {@code --env NAME}: {@code config/environments/NAME.yaml} under the
 *       application home, else on the classpath, else the user's own
 *       {@code ~/.config/firmquery/environments/NAME.yaml} (owned by the user, writable by nobody else);</li>
 *   <li>environment variables {@code FIRMQUERY_<SECTION>_<KEY>}, e.g. {@code FIRMQUERY_DATABASE_HOST};</li>
 *   <li>{@code --set section.key=value}, in command-line order.</li>
 * </ol>
 * A key the policy locks ({@code policy.locked}) that any layer above the system file sets is refused,
 * as is a {@code policy} key anywhere but in the system file. Then validates everything once, reporting
 * every problem together. See {@code docs/configuration.md}.
 */
public final class ConfigLoader {

    static final String DEFAULTS_RESOURCE = "config/default.yaml";
    static final String ENVIRONMENTS_RESOURCE = "config/environments/";
    static final Path USER_FILE = Path.of(".config", "firmquery", "config.yaml");
    /** The user's own environment overlays, beside the user file. */
    static final Path USER_ENVIRONMENTS = Path.of(".config", "firmquery", "environments");

    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private final Path appHome;
    private final Map<String, String> environment;
    private final Path userHome;
    private final ClassLoader classLoader;

    /**
     * @param appHome     the installation or source checkout whose {@code config/} directory is preferred
     *                    over the classpath copy; {@code null} to use the classpath only
     * @param environment the process environment ({@code System.getenv()}), read for {@code FIRMQUERY_*}
     * @param userHome    the user's home directory, for {@code ~/.config/firmquery/config.yaml} and for
     *                    expanding a leading {@code ~} in paths
     */
    public ConfigLoader(Path appHome, Map<String, String> environment, Path userHome) {
        this.appHome = appHome;
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.userHome = Objects.requireNonNull(userHome, "userHome");
        this.classLoader = ConfigLoader.class.getClassLoader();
    }

    /**
     * Loads, merges and validates the configuration.
     *
     * @return the typed configuration, the warnings, and each key's effective value and source
     * @throws ConfigException listing every problem found: unreadable or malformed files, a missing
     *                         {@code --config} file or {@code --env} overlay, a password in a file or
     *                         {@code --set}, and every invalid value
     */
    public LoadedConfig load(ConfigRequest request) throws ConfigException {
        Objects.requireNonNull(request, "request");
        Merge merge = new Merge();

        readDefaults(merge);
        Path systemFile = readSystemFile(merge);
        readUserFile(request.userFile(), merge);
        if (request.environment() != null) {
            readOverlay(request.environment(), merge);
        }
        readEnvironmentVariables(merge);
        readOverrides(request.overrides(), merge);
        Set<String> locked = refuseLockedKeys(systemFile, merge);

        for (ConfigKey key : ConfigKey.values()) {
            if (key.optional()) {
                merge.effective.putIfAbsent(key.key(), new RawValue(key.key(), key.defaultValue(), false,
                        "built-in default", "built-in default"));
            }
        }
        List<Path> adminFolders = administeredQueryFolders(merge);
        ConfigValidator validator = new ConfigValidator(merge.effective, userHome, System.getProperty("user.name"),
                systemFile, adminFolders);
        AppConfig config = validator.validate(merge.allSourcesRead);
        merge.warnings.addAll(validator.warnings());
        merge.problems.addAll(validator.problems());
        if (!merge.problems.isEmpty() || config == null) {
            throw new ConfigException(merge.problems, merge.warnings, merge.refusedLocks);
        }
        return new LoadedConfig(config, merge.warnings, settings(merge.effective, config, locked));
    }

    /**
     * The environment overlays that {@code --env} accepts: {@code config/environments/*.yaml} under the
     * application home and on the classpath, and the user's {@code ~/.config/firmquery/environments/*.yaml},
     * without the extension, sorted.
     */
    public List<String> availableEnvironments() {
        return environments().stream().map(Overlay::name).toList();
    }

    /**
     * One environment {@code --env} accepts and the file {@code --env NAME} reads for it.
     *
     * @param name     the name to pass to {@code --env}
     * @param location the file read: a path, or {@code classpath:config/environments/NAME.yaml}
     * @param user     whether it is the user's own overlay ({@code ~/.config/firmquery/environments})
     */
    public record Overlay(String name, String location, boolean user) {
    }

    /**
     * The environments of {@link #availableEnvironments()}, each with the file {@code --env} reads for it
     * (the application home before the classpath before the user's folder, as {@link #load} looks), sorted
     * by name. A user's file of the same name as an installed one is shadowed by it and not listed.
     */
    public List<Overlay> environments() {
        Map<String, Overlay> found = new TreeMap<>();
        if (appHome != null) {
            Path dir = appHome.resolve(ENVIRONMENTS_RESOURCE);
            for (String name : yamlNames(dir)) {
                found.put(name, new Overlay(name, dir.resolve(name + ".yaml").toAbsolutePath().normalize().toString(),
                        false));
            }
        }
        for (String name : classpathEnvironments()) {
            found.putIfAbsent(name, new Overlay(name, "classpath:" + ENVIRONMENTS_RESOURCE + name + ".yaml", false));
        }
        Path userDir = userHome.resolve(USER_ENVIRONMENTS);
        for (String name : yamlNames(userDir)) {
            found.putIfAbsent(name, new Overlay(name, userDir.resolve(name + ".yaml").toString(), true));
        }
        return List.copyOf(found.values());
    }

    /** The {@code *.yaml} names (without the extension) of a folder that may not exist, valid names only. */
    private static Set<String> yamlNames(Path dir) {
        Set<String> names = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.yaml")) {
                for (Path file : files) {
                    String name = withoutYamlExtension(file.getFileName().toString());
                    if (ENVIRONMENT_NAME.matcher(name).matches()) {
                        names.add(name);
                    }
                }
            } catch (IOException e) {
                // Only used to list choices; the other places may still answer.
            }
        }
        return names;
    }

    // ---- layers ----

    /** Which layer a value comes from: only the first two may write the policy, none above it a locked key. */
    private enum Layer { DEFAULT, SYSTEM, USER }

    /** Mutable state of one load; never escapes {@link #load}. */
    private static final class Merge {
        final Map<String, RawValue> effective = new LinkedHashMap<>();
        /** Every value a user layer (user file, overlay, variable, --set) gave a known key, in reading order. */
        final List<RawValue> fromUserLayers = new ArrayList<>();
        /** The layer each key's effective value came from. */
        final Map<String, Layer> layerOf = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final List<ConfigException.LockRefusal> refusedLocks = new ArrayList<>();
        boolean allSourcesRead = true;

        void sourceFailed(ConfigException e) {
            problems.addAll(e.problems());
            allSourcesRead = false;
        }
    }

    private void readDefaults(Merge merge) {
        Path file = appHome == null ? null : appHome.resolve(DEFAULTS_RESOURCE);
        if (file != null && Files.exists(file)) {
            String location = file.toAbsolutePath().normalize().toString();
            readYaml(location, () -> Files.newInputStream(file), "default",
                    line -> "default (" + location + lineSuffix(line) + ")", Layer.DEFAULT, merge);
            return;
        }
        URL resource = classLoader.getResource(DEFAULTS_RESOURCE);
        if (resource == null) {
            merge.problems.add("the built-in defaults " + DEFAULTS_RESOURCE + " were not found "
                    + (file == null ? "" : "at " + file + " nor ")
                    + "on the classpath: the installation is incomplete; rebuild it with mvn -B package");
            merge.allSourcesRead = false;
            return;
        }
        String location = "classpath:" + DEFAULTS_RESOURCE;
        readYaml(location, resource::openStream, "default",
                line -> "default (" + location + lineSuffix(line) + ")", Layer.DEFAULT, merge);
    }

    private void readUserFile(Path requested, Merge merge) {
        Path file;
        if (requested != null) {
            file = requested.toAbsolutePath().normalize();
            if (!Files.exists(file)) {
                merge.sourceFailed(new ConfigException(List.of("configuration file " + file
                        + " (--config) does not exist; check the path or leave out --config")));
                return;
            }
        } else {
            file = userHome.resolve(USER_FILE);
            if (!Files.exists(file)) {
                return;
            }
        }
        if (Files.isDirectory(file)) {
            merge.sourceFailed(new ConfigException(List.of("configuration file " + file
                    + " is a directory; point --config at a YAML file")));
            return;
        }
        String location = file.toString();
        readYaml(location, () -> Files.newInputStream(file), "user file " + location,
                line -> "user file " + location + lineSuffix(line), Layer.USER, merge);
    }

    private void readOverlay(String name, Merge merge) {
        if (!ENVIRONMENT_NAME.matcher(name).matches()) {
            merge.sourceFailed(new ConfigException(List.of("--env " + ConfigValidator.quote(name)
                    + " is not a valid environment name: use letters, digits, '.', '_' and '-' only; "
                    + availableEnvironmentsHint())));
            return;
        }
        String resourceName = ENVIRONMENTS_RESOURCE + name + ".yaml";
        Path file = appHome == null ? null : appHome.resolve(resourceName);
        if (file != null && Files.isRegularFile(file)) {
            String location = file.toAbsolutePath().normalize().toString();
            readYaml(location, () -> Files.newInputStream(file),
                    "environment overlay " + name + " (" + location + ")",
                    line -> "environment overlay " + name + " (" + location + lineSuffix(line) + ")", Layer.USER, merge);
            return;
        }
        URL resource = classLoader.getResource(resourceName);
        Path userFile = userHome.resolve(USER_ENVIRONMENTS).resolve(name + ".yaml");
        if (resource == null && Files.exists(userFile, LinkOption.NOFOLLOW_LINKS)) {
            readUserOverlay(name, userFile, merge);
            return;
        }
        if (resource == null) {
            merge.sourceFailed(new ConfigException(List.of("environment overlay " + ConfigValidator.quote(name)
                    + " (--env) not found: looked for " + (file == null ? "" : file.toAbsolutePath().normalize() + ", ")
                    + "classpath:" + resourceName + " and " + userFile + "; " + availableEnvironmentsHint())));
            return;
        }
        String location = "classpath:" + resourceName;
        readYaml(location, resource::openStream, "environment overlay " + name + " (" + location + ")",
                line -> "environment overlay " + name + " (" + location + lineSuffix(line) + ")", Layer.USER, merge);
    }

    /**
     * The user's own overlay: read only when it is a regular file (not a link) that this user owns and
     * nobody else can write, since on a shared host a file another user could change would pick the
     * database this user's runs go to.
     */
    private void readUserOverlay(String name, Path file, Merge merge) {
        Optional<String> untrusted = SystemLayer.untrustedUserFile(file, Posix.currentUid());
        if (untrusted.isPresent()) {
            merge.sourceFailed(new ConfigException(List.of("environment overlay " + ConfigValidator.quote(name)
                    + " (--env): " + untrusted.get())));
            return;
        }
        String location = file.toString();
        readYaml(location, () -> Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS),
                "environment overlay " + name + " (" + location + ")",
                line -> "environment overlay " + name + " (" + location + lineSuffix(line) + ")", Layer.USER, merge);
    }

    private void readYaml(String location, YamlLayer.Opener opener, String source, IntFunction<String> originAt,
                          Layer layer, Merge merge) {
        YamlLayer.Contents contents;
        try {
            contents = YamlLayer.read(location, opener, source, originAt);
        } catch (ConfigException e) {
            merge.sourceFailed(e);
            return;
        }
        if (contents.keysSeen().contains(ConfigKey.PASSWORD_KEY)
                && contents.values().stream().noneMatch(v -> v.key().equals(ConfigKey.PASSWORD_KEY))) {
            // "password:" with no value is dropped by the parser but is still a password key in a file.
            refusePassword(originAt.apply(0), merge);
        }
        for (RawValue value : contents.values()) {
            apply(value, false, layer, merge);
        }
    }

    private void readEnvironmentVariables(Merge merge) {
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith(ConfigKey.ENV_PREFIX) || ConfigKey.IGNORED_ENVIRONMENT_VARIABLES.contains(name)) {
                continue;
            }
            Optional<String> key = ConfigKey.keyOfEnvironmentVariable(name).filter(ConfigKey::isKnown);
            if (key.isPresent()) {
                String source = "environment variable " + name;
                put(new RawValue(key.get(), variable.getValue(), false, source, source), Layer.USER, merge);
            } else {
                merge.warnings.add("environment variable " + name + " is not a firmquery setting and is ignored; "
                        + KeySuggestions.suggestEnvironmentVariable(name).map(s -> "did you mean " + s + "?")
                        .orElse("settings are named FIRMQUERY_<SECTION>_<KEY>, e.g. FIRMQUERY_DATABASE_HOST "
                                + "(see docs/configuration.md)"));
            }
        }
    }

    private void readOverrides(List<String> overrides, Merge merge) {
        for (String override : overrides) {
            int eq = override.indexOf('=');
            String key = eq < 0 ? "" : override.substring(0, eq).strip();
            if (eq < 0 || key.isEmpty() || key.indexOf('.') < 0) {
                merge.problems.add("--set " + ConfigValidator.quote(override)
                        + ": expected section.key=value, e.g. --set processing.chunk_size=500");
                continue;
            }
            apply(new RawValue(key, override.substring(eq + 1), false, "--set", "--set"), true, Layer.USER, merge);
        }
    }

    /** Puts one value into the merge: refuses passwords, folds list toggles, reports unknown keys. */
    private static void apply(RawValue value, boolean commandLine, Layer layer, Merge merge) {
        String key = value.key();
        Optional<ConfigKey> toggled = toggledList(key);
        if (key.equals(ConfigKey.PASSWORD_KEY)) {
            refusePassword(value.origin(), merge);
        } else if (toggled.isPresent()) {
            toggle(toggled.get(), value, layer, merge);
        } else if (ConfigKey.isKnown(key)) {
            put(value, layer, merge);
        } else if (commandLine) {
            merge.problems.add("--set " + key + ": unknown key; " + unknownKeyHint(key));
        } else {
            merge.warnings.add("unknown key " + key + " (from " + value.origin() + ") is ignored; "
                    + unknownKeyHint(key));
        }
    }

    private static void refusePassword(String origin, Merge merge) {
        merge.problems.add(ConfigKey.PASSWORD_KEY + " is set in " + origin + ": passwords are never read from "
                + "configuration files or --set; remove it and put the password in the FIRMQUERY_DATABASE_PASSWORD "
                + "or PGPASSWORD environment variable or in ~/.pgpass");
    }

    /** The list key whose map form {@code key} is an entry of: {@code output.formats.xlsx} → {@code output.formats}. */
    private static Optional<ConfigKey> toggledList(String key) {
        for (ConfigKey list : ConfigKey.values()) {
            if (list.type() instanceof ValueType.ChoiceList && key.startsWith(list.key() + ".")) {
                return Optional.of(list);
            }
        }
        return Optional.empty();
    }

    /**
     * The original design's map form of a list, {@code formats: {csv: true, excel: false}}: each entry
     * switches one name on or off in the list the lower layers produced.
     */
    private static void toggle(ConfigKey list, RawValue value, Layer layer, Merge merge) {
        ValueType.ChoiceList type = list.type(ValueType.ChoiceList.class);
        String written = value.key().substring(list.key().length() + 1).toLowerCase(Locale.ROOT);
        Optional<String> name = type.name(written);
        if (name.isEmpty()) {
            List<String> accepted = new ArrayList<>(type.names());
            accepted.addAll(new TreeSet<>(type.aliases().keySet()));
            merge.problems.add(value.key() + " = " + ConfigValidator.quote(value.value()) + " (from " + value.origin()
                    + "): unknown " + type.noun() + " " + ConfigValidator.quote(written) + "; expected "
                    + String.join(", ", accepted.subList(0, accepted.size() - 1)) + " or "
                    + accepted.get(accepted.size() - 1));
            return;
        }
        Optional<Boolean> on = ValueType.Flag.parse(value.value());
        if (on.isEmpty()) {
            merge.problems.add(value.key() + " = " + ConfigValidator.quote(value.value()) + " (from " + value.origin()
                    + "): expected true or false");
            return;
        }
        RawValue current = merge.effective.get(list.key());
        Set<String> names = new LinkedHashSet<>();
        if (current != null) {
            for (String token : current.value().split(",")) {
                String t = token.strip().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    names.add(type.name(t).orElse(t));
                }
            }
        }
        if (on.get()) {
            names.add(name.get());
        } else {
            names.remove(name.get());
        }
        put(new RawValue(list.key(), String.join(",", names), true, value.source(), value.origin()), layer, merge);
    }

    private static String unknownKeyHint(String key) {
        Optional<String> suggestion = KeySuggestions.suggestKey(key);
        if (suggestion.isPresent()) {
            return "did you mean " + suggestion.get() + "?";
        }
        int dot = key.indexOf('.');
        String section = dot < 0 ? key : key.substring(0, dot);
        if (ConfigKey.sections().contains(section)) {
            return dot < 0
                    ? section + " is a section: write its keys under it (" + String.join(", ", KeySuggestions.keysOfSection(section)) + ")"
                    : "the keys of section " + section + " are: " + String.join(", ", KeySuggestions.keysOfSection(section));
        }
        return "the sections are: " + String.join(", ", ConfigKey.sections());
    }

    /** Records a known key's value and the layer it came from; a user layer may not write the policy. */
    private static void put(RawValue value, Layer layer, Merge merge) {
        ConfigKey key = ConfigKey.of(value.key()).orElseThrow();
        if (key.systemOnly() && layer == Layer.USER) {
            merge.problems.add(key + " is set in " + value.origin() + ": the policy is read only from the system "
                    + "file (" + SystemLayer.DEFAULT_FILE + ", or the file " + SystemLayer.VARIABLE + " names), which "
                    + "the administrator keeps; remove it from there");
            return;
        }
        merge.effective.put(key.key(), value);
        merge.layerOf.put(key.key(), layer);
        if (layer == Layer.USER) {
            merge.fromUserLayers.add(value);
        }
    }

    /**
     * The system file's values, when there is one the administrator can have written ({@link SystemLayer}).
     *
     * @return the file read, or {@code null} when there is none (or it was refused: the problem says why)
     */
    private Path readSystemFile(Merge merge) {
        Path file = SystemLayer.file(environment);
        if (!Files.exists(file)) {
            if (SystemLayer.named(environment)) {
                merge.sourceFailed(new ConfigException(List.of("the system file " + file + " (" + SystemLayer.VARIABLE
                        + ") does not exist; correct the path or unset " + SystemLayer.VARIABLE + " to use "
                        + SystemLayer.DEFAULT_FILE)));
            }
            return null;
        }
        if (!Files.isRegularFile(file)) {
            merge.sourceFailed(new ConfigException(List.of("the system file " + file + " is not a regular file; "
                    + "it must be a YAML file like config/default.yaml")));
            return null;
        }
        Optional<String> untrusted = SystemLayer.untrusted(file, Posix.currentUid());
        if (untrusted.isPresent()) {
            merge.sourceFailed(new ConfigException(List.of(untrusted.get()
                    + "; until then firmquery does not start, since the policy in it cannot be trusted")));
            return null;
        }
        String location = file.toString();
        readYaml(location, () -> Files.newInputStream(file), "system file " + location,
                line -> "system file " + location + lineSuffix(line), Layer.SYSTEM, merge);
        return file;
    }

    /**
     * The folders where a name in {@code policy.approved_queries} is looked up: {@code queries/} beside the
     * system file and the installation's {@code sql/queries}, each only while nobody but its owner (root,
     * or this user) can add files to it; an untrusted one is left out with a warning.
     */
    private List<Path> administeredQueryFolders(Merge merge) {
        List<Path> folders = new ArrayList<>(List.of(SystemLayer.queryFolder(environment)));
        if (appHome != null) {
            folders.add(appHome.toAbsolutePath().normalize().resolve("sql").resolve("queries"));
        }
        RawValue approved = merge.effective.get(ConfigKey.POLICY_APPROVED_QUERIES.key());
        if (approved == null || approved.value().isBlank()) {
            return folders; // no names to look up: nothing to warn about
        }
        List<Path> trusted = new ArrayList<>();
        long uid = Posix.currentUid();
        for (Path folder : folders) {
            Optional<String> problem = SystemLayer.untrustedFolder(folder, uid);
            if (problem.isPresent()) {
                merge.warnings.add(problem.get() + "; until then the names policy.approved_queries lists are not "
                        + "looked up there");
            } else {
                trusted.add(folder);
            }
        }
        return trusted;
    }

    /**
     * Refuses every value a user layer gave a key of {@code policy.locked}, naming the policy file, the key,
     * where it was set and how to proceed.
     *
     * @return the locked keys (empty when the policy cannot be read; the validator then reports it)
     */
    private static Set<String> refuseLockedKeys(Path systemFile, Merge merge) {
        RawValue policy = merge.effective.get(ConfigKey.POLICY_LOCKED.key());
        if (policy == null || merge.layerOf.get(ConfigKey.POLICY_LOCKED.key()) == Layer.USER) {
            return Set.of();
        }
        ValueType.Checked checked = ConfigKey.POLICY_LOCKED.type().check(policy.value().strip(), Path.of("/"));
        if (!checked.ok()) {
            return Set.of();
        }
        Set<String> locked = new LinkedHashSet<>();
        for (Object key : (List<?>) checked.value()) {
            locked.add((String) key);
        }
        String where = systemFile == null ? policy.origin() : systemFile.toString();
        for (RawValue value : merge.fromUserLayers) {
            if (locked.contains(value.key())) {
                merge.refusedLocks.add(new ConfigException.LockRefusal(value.key(), value.value(), value.origin()));
                merge.problems.add(value.key() + " is locked by the administrator's policy (policy.locked in "
                        + where + ") but " + value.origin() + " sets it to " + ConfigValidator.quote(value.value())
                        + "; remove it there (or drop the --set or variable) to use the value the policy fixes, or "
                        + "ask the administrator to change it in " + where);
            }
        }
        return locked;
    }

    // ---- settings ----

    private static Map<String, Setting> settings(Map<String, RawValue> effective, AppConfig config,
                                                 Set<String> locked) {
        Map<String, Setting> settings = new TreeMap<>();
        for (String key : ConfigKey.names()) {
            RawValue raw = effective.get(key);
            settings.put(key, new Setting(key, raw.value(), raw.source(), locked.contains(key)));
        }
        String userKey = ConfigKey.DATABASE_USER.key();
        RawValue user = effective.get(userKey);
        if (user.value().isBlank() && config.database().auth() == AppConfig.AuthMode.KERBEROS) {
            settings.put(userKey, new Setting(userKey, "",
                    user.source() + " (empty: the Kerberos principal's name without the realm)", locked.contains(userKey)));
        } else if (user.value().isBlank()) {
            settings.put(userKey, new Setting(userKey, config.database().user(),
                    user.source() + " (empty: the operating system user name)", locked.contains(userKey)));
        }
        String sslKey = ConfigKey.DATABASE_SSL_MODE.key();
        RawValue ssl = effective.get(sslKey);
        if (ssl.value().isBlank()) {
            String why = " (empty: " + TransportSecurity.automaticReason(config.database().auth(),
                    config.database().host()) + ")";
            settings.put(sslKey, new Setting(sslKey, config.database().sslMode(), ssl.source() + why,
                    locked.contains(sslKey)));
        }
        return settings;
    }

    // ---- environments on the classpath ----

    private String availableEnvironmentsHint() {
        List<String> names = availableEnvironments();
        return names.isEmpty()
                ? "no environment overlays are installed (config/environments/*.yaml)"
                : "available environments: " + String.join(", ", names);
    }

    private Set<String> classpathEnvironments() {
        Set<String> names = new TreeSet<>();
        try {
            Enumeration<URL> dirs = classLoader.getResources(ENVIRONMENTS_RESOURCE);
            while (dirs.hasMoreElements()) {
                URL dir = dirs.nextElement();
                if ("file".equals(dir.getProtocol())) {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(dir.toURI()), "*.yaml")) {
                        for (Path file : files) {
                            names.add(withoutYamlExtension(file.getFileName().toString()));
                        }
                    }
                } else if ("jar".equals(dir.getProtocol())) {
                    URLConnection connection = dir.openConnection();
                    if (connection instanceof JarURLConnection jarConnection) {
                        jarConnection.setUseCaches(false);
                        try (JarFile jar = jarConnection.getJarFile()) {
                            Enumeration<JarEntry> entries = jar.entries();
                            while (entries.hasMoreElements()) {
                                String entry = entries.nextElement().getName();
                                String rest = entry.startsWith(ENVIRONMENTS_RESOURCE)
                                        ? entry.substring(ENVIRONMENTS_RESOURCE.length()) : "";
                                if (rest.endsWith(".yaml") && rest.indexOf('/') < 0) {
                                    names.add(withoutYamlExtension(rest));
                                }
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // Only used to list choices in an error message; an empty list is an acceptable answer.
        }
        return names;
    }

    private static String withoutYamlExtension(String fileName) {
        return fileName.substring(0, fileName.length() - ".yaml".length());
    }

    private static String lineSuffix(int line) {
        return line > 0 ? ":" + line : "";
    }
}
