package dev.rewind.cli;

import picocli.CommandLine.Command;

@Command(name = "unlock", description = "(not yet implemented)")
final class UnlockCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("unlock is not implemented yet");
    }
}
