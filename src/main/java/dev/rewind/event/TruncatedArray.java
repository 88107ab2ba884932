package dev.rewind.event;

import java.util.Objects;

/** One entry of {@code updateDescription.truncatedArrays}: the array at {@code field} now has {@code newSize} elements. */
public record TruncatedArray(String field, int newSize) {
    public TruncatedArray {
        Objects.requireNonNull(field, "field");
        if (newSize < 0) {
            throw new IllegalArgumentException("negative newSize " + newSize + " for " + field);
        }
    }
}
