package dev.rewind.repo;

import java.util.List;

/** One data object a snapshot uses: its content address, how many documents and bytes it holds. */
public record ObjectRef(String hash, int documents, int rawBytes, int storedBytes) {
    List<Object> toList() {
        return List.of(hash, documents, rawBytes, storedBytes);
    }

    static ObjectRef fromList(List<?> l) {
        return new ObjectRef((String) l.get(0), ((Number) l.get(1)).intValue(), ((Number) l.get(2)).intValue(),
                ((Number) l.get(3)).intValue());
    }
}
