package dev.rewind.cli;

import picocli.CommandLine.Option;

/** Options that every command shares, as a mixin: {@code @Mixin Common common;}. */
public final class Common {
    boolean verbose;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces and Rewind's debug logs.")
    void verbose(boolean on) {
        verbose = on;
        if (on) {
            LogSetup.verbose();
        }
    }

    @Option(names = "--json", description = "Machine-readable output (JSON) on standard output.")
    public boolean json;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (JSON; docs/service.md) for options not given here. Default: $REWIND_CONFIG.")
    java.nio.file.Path config;

    private Settings settings;

    /** Where options not given come from: REWIND_REPO, REWIND_URI, then the config file. */
    Settings settings() {
        if (settings == null) {
            settings = Settings.load(config);
        }
        return settings;
    }
}
