package dev.rewind.event;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The kind of a change event, by its {@code operationType}. Document-level operations change one
 * document; namespace-level ones drop, rename or end a namespace; DDL ones change a collection's
 * shape (indexes, options, sharding) but not its documents. An operation type this enum does not
 * know is {@link #OTHER}; the event keeps its name.
 */
public enum Operation {
    INSERT("insert", Level.DOCUMENT),
    UPDATE("update", Level.DOCUMENT),
    REPLACE("replace", Level.DOCUMENT),
    DELETE("delete", Level.DOCUMENT),
    DROP("drop", Level.NAMESPACE),
    RENAME("rename", Level.NAMESPACE),
    DROP_DATABASE("dropDatabase", Level.NAMESPACE),
    INVALIDATE("invalidate", Level.STREAM),
    CREATE("create", Level.DDL),
    CREATE_INDEXES("createIndexes", Level.DDL),
    DROP_INDEXES("dropIndexes", Level.DDL),
    MODIFY("modify", Level.DDL),
    SHARD_COLLECTION("shardCollection", Level.DDL),
    RESHARD_COLLECTION("reshardCollection", Level.DDL),
    REFINE_COLLECTION_SHARD_KEY("refineCollectionShardKey", Level.DDL),
    START_INDEX_BUILD("startIndexBuild", Level.DDL),
    ABORT_INDEX_BUILD("abortIndexBuild", Level.DDL),
    END_OF_TRANSACTION("endOfTransaction", Level.STREAM),
    OTHER("", Level.OTHER);

    /** What an operation acts on. */
    public enum Level { DOCUMENT, NAMESPACE, DDL, STREAM, OTHER }

    private static final Map<String, Operation> BY_NAME = Arrays.stream(values())
            .filter(op -> op != OTHER)
            .collect(Collectors.toUnmodifiableMap(Operation::typeName, Function.identity()));

    private final String typeName;
    private final Level level;

    Operation(String typeName, Level level) {
        this.typeName = typeName;
        this.level = level;
    }

    /** The {@code operationType} string MongoDB uses; empty for {@link #OTHER}. */
    public String typeName() { return typeName; }

    public Level level() { return level; }

    public boolean isDocumentLevel() { return level == Level.DOCUMENT; }

    public boolean isNamespaceLevel() { return level == Level.NAMESPACE; }

    public boolean isDdl() { return level == Level.DDL; }

    /** The operation for an {@code operationType} string; {@link #OTHER} when unknown. */
    public static Operation fromTypeName(String name) {
        return BY_NAME.getOrDefault(name, OTHER);
    }
}
