package dev.rewind.cli;

import picocli.CommandLine.Command;

@Command(name = "verify", description = "(not yet implemented)")
final class VerifyCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("verify is not implemented yet");
    }
}
