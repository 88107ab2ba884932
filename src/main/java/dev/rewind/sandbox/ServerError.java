package dev.rewind.sandbox;

import de.bwaldvogel.mongo.exception.MongoServerError;
import java.util.List;

/**
 * A command error as mongod reports it: code, codeName, message, and the error labels drivers act
 * on ({@code TransientTransactionError}, {@code UnknownTransactionCommitResult}, ...).
 */
public final class ServerError extends MongoServerError {
    private static final long serialVersionUID = 1L;

    private final List<String> labels;

    public ServerError(int code, String codeName, String message) {
        this(code, codeName, message, List.of());
    }

    public ServerError(int code, String codeName, String message, List<String> labels) {
        super(code, codeName, message);
        this.labels = List.copyOf(labels);
    }

    public List<String> labels() {
        return labels;
    }

    @Override
    public boolean shouldPrefixCommandContext() {
        return false;
    }

    public static ServerError badValue(String message) {
        return new ServerError(2, "BadValue", message);
    }

    public static ServerError typeMismatch(String message) {
        return new ServerError(14, "TypeMismatch", message);
    }

    public static ServerError invalidOptions(String message) {
        return new ServerError(72, "InvalidOptions", message);
    }

    /** What the sandbox does not do (yet): a loud error naming the option, never a silent difference. */
    public static ServerError notSupported(String what) {
        return new ServerError(115, "CommandNotSupported", "the Rewind sandbox does not support " + what
                + " (see the README's list of what the sandbox does differently from MongoDB)");
    }

    public static ServerError namespaceNotFound(String message) {
        return new ServerError(26, "NamespaceNotFound", message);
    }

    public static ServerError notSupportedOnView(String ns) {
        return new ServerError(166, "CommandNotSupportedOnView", "Namespace " + ns + " is a view, not a collection");
    }
}
