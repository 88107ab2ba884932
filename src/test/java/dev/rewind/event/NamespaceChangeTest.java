package dev.rewind.event;

import static dev.rewind.event.Json.event;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamespaceChangeTest {
    static final Namespace USERS = Namespace.of("engineering", "users");
    static final Namespace TEAMS = Namespace.of("engineering", "teams");
    static final Namespace PEOPLE = Namespace.of("archive", "people");
    static final Namespace OTHER = Namespace.of("archive", "other");

    @Test
    void aDropWipesOnlyItsCollection() {
        NamespaceChange drop = NamespaceChange.of(event(ChangeEventsTest.DROP)).orElseThrow();

        assertThat(drop.wipes(USERS)).isTrue();
        assertThat(drop.wipes(TEAMS)).isFalse();
        assertThat(drop.destination(USERS)).isEmpty();
    }

    @Test
    void aDropDatabaseWipesEveryCollectionOfItsDatabase() {
        NamespaceChange dropDatabase = NamespaceChange.of(event(ChangeEventsTest.DROP_DATABASE)).orElseThrow();

        assertThat(dropDatabase.wipes(USERS)).isTrue();
        assertThat(dropDatabase.wipes(TEAMS)).isTrue();
        assertThat(dropDatabase.wipes(PEOPLE)).isFalse();
    }

    @Test
    void aRenameAcrossDatabasesMovesTheSourceAndReplacesTheTarget() {
        NamespaceChange rename = NamespaceChange.of(event(ChangeEventsTest.RENAME)).orElseThrow();

        assertThat(rename.destination(USERS)).contains(PEOPLE);
        assertThat(rename.source(PEOPLE)).contains(USERS);
        assertThat(rename.wipes(USERS)).as("the source is empty afterwards").isTrue();
        assertThat(rename.wipes(PEOPLE)).as("the target's old documents are gone").isTrue();
        assertThat(rename.wipes(OTHER)).isFalse();
        assertThat(rename.destination(TEAMS)).isEmpty();
        assertThat(rename.source(USERS)).isEmpty();
    }

    @Test
    void documentDdlAndStreamEventsChangeNoNamespace() {
        assertThat(NamespaceChange.of(event(ChangeEventsTest.INSERT))).isEmpty();
        assertThat(NamespaceChange.of(event(ChangeEventsTest.CREATE_INDEXES))).isEmpty();
        assertThat(NamespaceChange.of(event(ChangeEventsTest.INVALIDATE))).isEmpty();
    }

    @Test
    void parsesAndPrintsNamespacesWithDotsInCollectionNames() {
        assertThat(Namespace.parse("db.system.views")).isEqualTo(Namespace.of("db", "system.views"));
        assertThat(Namespace.parse("db")).isEqualTo(Namespace.database("db"));
        assertThat(Namespace.of("db", "a.b")).hasToString("db.a.b");
        assertThat(Namespace.database("db").covers(Namespace.of("db", "x"))).isTrue();
        assertThat(Namespace.of("db", "x").covers(Namespace.of("db", "y"))).isFalse();
    }
}
