package dev.rewind.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", description = "(not yet implemented)")
final class BenchCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("bench is not implemented yet");
    }
}
