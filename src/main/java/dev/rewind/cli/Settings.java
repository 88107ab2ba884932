package dev.rewind.cli;

import dev.rewind.RewindException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.bson.json.JsonParseException;

/**
 * Where an option not given on the command line comes from, so that everyday commands are short and
 * capture runs as a service (docs/service.md): the environment ({@code REWIND_REPO}, {@code REWIND_URI}),
 * then the config file ({@code --config FILE} or {@code REWIND_CONFIG}; JSON, every key optional).
 * The command line always wins.
 */
final class Settings {
    static final String REPO_ENV = "REWIND_REPO";
    static final String URI_ENV = "REWIND_URI";
    static final String CONFIG_ENV = "REWIND_CONFIG";
    private static final Set<String> KEYS = Set.of("repo", "uri", "ns", "capture", "detect", "retention");
    private static final Set<String> CAPTURE_KEYS = Set.of("sealInterval", "idleInterval", "snapshotEvery", "metrics");
    private static final Set<String> DETECT_KEYS = Set.of("rules", "alertWebhook", "alertExec");

    private final Map<String, String> env;
    private final Document config;
    private final String configName;

    private Settings(Map<String, String> env, Document config, String configName) {
        this.env = env;
        this.config = config;
        this.configName = configName;
    }

    /** The settings of this process: its environment and the config file named by {@code configFile} or REWIND_CONFIG. */
    static Settings load(Path configFile) {
        return load(System.getenv(), configFile);
    }

    static Settings load(Map<String, String> env, Path configFile) {
        Path file = configFile != null ? configFile : env.get(CONFIG_ENV) == null || env.get(CONFIG_ENV).isBlank() ? null
                : Path.of(env.get(CONFIG_ENV));
        if (file == null) {
            return new Settings(env, new Document(), null);
        }
        String name = configFile != null ? "config file " + file : "config file " + file + " (" + CONFIG_ENV + ")";
        Document d;
        try {
            d = Document.parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw RewindException.notFound("no " + name, "check the path given to --config or in " + CONFIG_ENV);
        } catch (IOException e) {
            throw new RewindException(dev.rewind.ExitCode.IO, "cannot read the " + name + ": " + e.getMessage(),
                    "check the path and its permissions", e);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw bad(name, "is not JSON: " + e.getMessage());
        }
        known(d, KEYS, name, "");
        if (d.containsKey("retention")) {
            throw bad(name, "'retention' is reserved: Rewind does not prune yet");
        }
        known(section(d, "capture", name), CAPTURE_KEYS, name, "capture.");
        known(section(d, "detect", name), DETECT_KEYS, name, "detect.");
        return new Settings(env, d, name);
    }

    /** --repo, else REWIND_REPO, else the config file's {@code repo}; a usage error when none says. */
    String repo(String given) {
        String v = first(given, REPO_ENV, "repo");
        if (v == null) {
            throw RewindException.usage("no repository given",
                    "add --repo DIR, or set " + REPO_ENV + "=DIR, or put \"repo\" in a config file (--config FILE or "
                            + CONFIG_ENV + "; see docs/service.md)");
        }
        return v;
    }

    /** --uri, else REWIND_URI, else the config file's {@code uri}; a usage error when none says. */
    String uri(String given) {
        String v = first(given, URI_ENV, "uri");
        if (v == null) {
            throw RewindException.usage("no connection string given",
                    "add --uri mongodb://HOST/, or set " + URI_ENV + "=mongodb://HOST/, or put \"uri\" in a config file"
                            + " (--config FILE or " + CONFIG_ENV + "; see docs/service.md)");
        }
        return v;
    }

    /** --ns patterns, else the config file's {@code ns} (a pattern or a list). */
    List<String> ns(List<String> given) {
        if (given != null && !given.isEmpty()) {
            return given;
        }
        Object ns = config.get("ns");
        List<String> out = new ArrayList<>();
        if (ns instanceof String s) {
            out.add(s);
        } else if (ns instanceof List<?> l) {
            l.forEach(p -> out.add(String.valueOf(p)));
        } else if (ns != null) {
            throw bad(configName, "'ns' must be a pattern or a list of patterns");
        }
        return out;
    }

    /** An option of a section ("capture", "detect") when not given: the config file's value as text, else null. */
    String option(String given, String section, String key) {
        if (given != null) {
            return given;
        }
        Object v = section(config, section, configName).get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw bad(configName, "'" + section + "." + key + "' must be a string");
        }
        return s;
    }

    /** The rules inline in the config file ({@code detect.rules} as an object), as JSON; null when absent or a path. */
    String inlineRules() {
        Object v = section(config, "detect", configName).get("rules");
        return v instanceof Document d ? d.toJson() : null;
    }

    /** The config file's name, for messages; null when there is none. */
    String configName() {
        return configName;
    }

    private String first(String given, String envName, String key) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        String e = env.get(envName);
        if (e != null && !e.isBlank()) {
            return e;
        }
        Object v = config.get(key);
        if (v != null && !(v instanceof String)) {
            throw bad(configName, "'" + key + "' must be a string");
        }
        return (String) v;
    }

    private static Document section(Document d, String key, String name) {
        Object v = d.get(key);
        if (v == null) {
            return new Document();
        }
        if (!(v instanceof Document s)) {
            throw bad(name, "'" + key + "' must be an object");
        }
        return s;
    }

    private static void known(Document d, Set<String> keys, String name, String prefix) {
        for (String k : d.keySet()) {
            if (!keys.contains(k)) {
                throw bad(name, "unknown key '" + prefix + k + "'; the keys are " + String.join(", ",
                        new java.util.TreeSet<>(keys.stream().map(x -> prefix + x).toList())));
            }
        }
    }

    private static RewindException bad(String name, String why) {
        return RewindException.usage(name + ": " + why, "see docs/service.md for the config file's keys, e.g. "
                + "{\"repo\": \"/var/backups/famigo\", \"uri\": \"mongodb://db1/\", \"ns\": [\"famigo.*\"]}");
    }
}
