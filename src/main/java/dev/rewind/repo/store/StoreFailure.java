package dev.rewind.repo.store;

import java.io.IOException;

/**
 * A store operation that failed, with what to do about it. A permanent failure (access denied, no
 * such bucket, a server lacking a feature) would fail the same way again and is never retried; any
 * other may pass (a dropped connection, a server error, a timeout).
 */
public class StoreFailure extends IOException {
    private final boolean permanent;
    private final String hint;

    public StoreFailure(String message, boolean permanent, String hint, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
        this.hint = hint;
    }

    public boolean permanent() { return permanent; }

    public String hint() { return hint; }
}
