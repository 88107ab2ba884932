package dev.rewind.cli;

import picocli.CommandLine.Command;

@Command(name = "restore", description = "(not yet implemented)")
final class RestoreCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("restore is not implemented yet");
    }
}
