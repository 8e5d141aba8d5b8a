package dev.firmquery.tui.profiles;

import dev.firmquery.config.ConfigException;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;
import dev.firmquery.config.LoadedConfig;
import dev.firmquery.config.Setting;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What switching to an environment would change: the configuration loaded through {@link ConfigLoader}
 * exactly as {@code --env NAME} with the session's {@code --config} and {@code --set} loads it, and its
 * effective values compared with the session's. Pure (it reads the configuration files, so not on the
 * GUI thread); immutable.
 *
 * @param environment the environment, or null for none (no {@code --env})
 * @param loaded      the configuration, or null when it has errors
 * @param changes     the keys whose value differs, sorted by key
 * @param locked      values the environment tried to give a key the policy locks; the load refused them
 * @param problems    the configuration errors ({@link ConfigException#problems()}), each with where and the fix
 * @param warnings    the configuration warnings
 */
record Preview(String environment, LoadedConfig loaded, List<Change> changes, List<Locked> locked,
               List<String> problems, List<String> warnings) {

    Preview {
        changes = List.copyOf(changes);
        locked = List.copyOf(locked);
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    /** One key whose effective value differs: the value and the layer it comes from, now and after the switch. */
    record Change(String key, String from, String fromSource, String to, String toSource) {
    }

    /**
     * A locked key the environment tried to set: the value in use stays (the administrator's), the
     * environment's is refused.
     */
    record Locked(String key, String kept, String keptSource, String refused, String origin) {
    }

    /** Whether the environment can be switched to: its configuration loads. */
    boolean usable() {
        return loaded != null;
    }

    /**
     * Loads {@code environment} as the session's request would with {@code --env environment} and compares
     * it with {@code current}.
     */
    static Preview load(ConfigLoader loader, ConfigRequest session, String environment, Map<String, Setting> current) {
        ConfigRequest request = new ConfigRequest(session.userFile(), environment, session.overrides());
        try {
            LoadedConfig loaded = loader.load(request);
            return new Preview(request.environment(), loaded, changes(current, loaded.settings()), List.of(), List.of(),
                    loaded.warnings());
        } catch (ConfigException e) {
            List<Locked> locked = new ArrayList<>();
            for (ConfigException.LockRefusal r : e.refusedLocks()) {
                Setting kept = current.get(r.key());
                locked.add(new Locked(r.key(), kept == null ? "" : kept.value(), kept == null ? "" : kept.source(),
                        r.value(), r.origin()));
            }
            return new Preview(request.environment(), null, List.of(), locked, e.problems(), e.warnings());
        }
    }

    /** The keys of {@code after} whose value is not the one of {@code before}. */
    static List<Change> changes(Map<String, Setting> before, Map<String, Setting> after) {
        List<Change> changes = new ArrayList<>();
        for (Setting to : after.values()) {
            Setting from = before.get(to.key());
            if (from == null || !Objects.equals(from.value(), to.value())) {
                changes.add(new Change(to.key(), from == null ? "" : from.value(), from == null ? "" : from.source(),
                        to.value(), to.source()));
            }
        }
        changes.sort(java.util.Comparator.comparing(Change::key));
        return changes;
    }
}
