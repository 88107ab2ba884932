package dev.rewind.repo;

import java.util.List;

/** One data object a snapshot uses: its content address, how many documents and bytes it holds. */
public record ObjectRef(String hash, int documents, int rawBytes, int storedBytes) {
    List<Object> toList() {
        return List.of(hash, documents, rawBytes, storedBytes);
    }

    /** Reads {@code [hash, documents, rawBytes, storedBytes]}; IllegalArgumentException for anything else. */
    static ObjectRef fromList(List<?> l) {
        if (l.size() != 4 || !(l.get(0) instanceof String hash) || !Hash.isHash(hash)) {
            throw new IllegalArgumentException("an object reference is not [64-hex-digit hash, documents, rawBytes, storedBytes]");
        }
        return new ObjectRef(hash, JsonFields.smallCount(l.get(1), "an object's documents"),
                JsonFields.smallCount(l.get(2), "an object's rawBytes"), JsonFields.smallCount(l.get(3), "an object's storedBytes"));
    }
}
