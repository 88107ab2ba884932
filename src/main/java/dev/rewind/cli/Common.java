package dev.rewind.cli;

import picocli.CommandLine.Option;

/** Options that every command shares, as a mixin: {@code @Mixin Common common;}. */
public final class Common {
    @Option(names = {"-v", "--verbose"}, description = "Print stack traces and debug logs.")
    boolean verbose;

    @Option(names = "--json", description = "Machine-readable output (JSON) on standard output.")
    public boolean json;
}
