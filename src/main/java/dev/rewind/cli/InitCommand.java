package dev.rewind.cli;

import picocli.CommandLine.Command;

@Command(name = "init", description = "(not yet implemented)")
final class InitCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("init is not implemented yet");
    }
}
