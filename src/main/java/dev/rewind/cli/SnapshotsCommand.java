package dev.rewind.cli;

import picocli.CommandLine.Command;

@Command(name = "snapshots", description = "(not yet implemented)")
final class SnapshotsCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("snapshots is not implemented yet");
    }
}
