package dev.rewind.cli;

import picocli.CommandLine.Command;

@Command(name = "snapshot", description = "(not yet implemented)")
final class SnapshotCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("snapshot is not implemented yet");
    }
}
