package dev.rewind.event;

/** A change event, or a stored one, that lacks what its kind requires or holds a wrong type. */
public class MalformedEventException extends IllegalArgumentException {
    public MalformedEventException(String message) {
        super(message);
    }
}
