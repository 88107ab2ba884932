package dev.rewind.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class PathTest {

    @Test
    void readsNumericStepsOfADottedPathAsEitherFieldOrIndex() {
        Path path = Path.parse("a.0.b.12");

        assertThat(path.steps()).containsExactly(
                Path.Step.field("a"), new Path.Step("0", Path.Kind.EITHER),
                Path.Step.field("b"), new Path.Step("12", Path.Kind.EITHER));
        assertThat(path.exact()).isFalse();
        assertThat(path).hasToString("a.0.b.12");
    }

    @Test
    void readsNumbersWithLeadingZerosOrSignsAsFieldNames() {
        assertThat(Path.parse("a.01").step(1).kind()).isEqualTo(Path.Kind.FIELD);
        assertThat(Path.parse("a.-1").step(1).kind()).isEqualTo(Path.Kind.FIELD);
        assertThat(Path.parse("a.99999999999").step(1).kind()).isEqualTo(Path.Kind.FIELD);
    }

    @Test
    void readsDisambiguatedComponentsExactly() {
        BsonArray components = BsonDocument.parse("{p: [\"a.b\", \"0\", 3, \"c\"]}").getArray("p");

        Path path = Path.of(components);

        assertThat(path.exact()).isTrue();
        assertThat(path.steps()).containsExactly(
                Path.Step.field("a.b"), Path.Step.field("0"), Path.Step.index(3), Path.Step.field("c"));
    }

    @Test
    void refusesDisambiguatedComponentsOfOtherTypes() {
        BsonArray components = BsonDocument.parse("{p: [\"a\", 1.5]}").getArray("p");

        assertThatThrownBy(() -> Path.of(components)).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> Path.of(new BsonArray())).isInstanceOf(MalformedEventException.class);
    }
}
