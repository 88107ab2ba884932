package dev.rewind.cli;

import picocli.CommandLine.Command;

@Command(name = "demo", description = "(not yet implemented)")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("demo is not implemented yet");
    }
}
