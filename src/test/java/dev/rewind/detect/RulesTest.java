package dev.rewind.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.event.Operation;
import org.junit.jupiter.api.Test;

class RulesTest {
    @Test
    void defaultsCatchMassDeletesDropsAndMassUpdates() {
        Rules rules = Rules.defaults();
        assertThat(rules.quietSeconds()).isEqualTo(60);
        assertThat(rules.rules()).extracting(Rule::name).containsExactly("mass-delete", "drop", "mass-update");
        Rule delete = rules.rule("mass-delete");
        assertThat(delete.minCount()).isEqualTo(500);
        assertThat(delete.minFraction()).isEqualTo(0.10);
        assertThat(delete.windowSeconds()).isEqualTo(60);
        assertThat(rules.rule("mass-update").severity()).isEqualTo("warning");
    }

    @Test
    void aFileWithOnlyAQuietPeriodKeepsTheDefaultRules() {
        Rules rules = Rules.parse("{\"quietSeconds\": 5}", "rules.json");
        assertThat(rules.quietSeconds()).isEqualTo(5);
        assertThat(rules.rules()).isEqualTo(Rules.defaultRules());
    }

    @Test
    void parsesRulesWithNamespacesAndDefaultsForWhatIsLeftOut() {
        Rules rules = Rules.parse("""
                {"rules": [
                  {"name": "family-deletes", "ops": ["delete"], "ns": "famigo.family", "minCount": 50, "minFraction": 0.01,
                   "windowSeconds": 30},
                  {"name": "renames", "ops": ["rename", "drop"], "severity": "warning"}
                ]}""", "rules.json");
        Rule first = rules.rule("family-deletes");
        assertThat(first.ops()).containsExactly(Operation.DELETE);
        assertThat(first.patterns()).extracting(Object::toString).containsExactly("famigo.family");
        assertThat(first.threshold(100_000)).isEqualTo(1000);
        Rule second = rules.rule("renames");
        assertThat(second.minCount()).isEqualTo(1);
        assertThat(second.windowSeconds()).isEqualTo(60);
        assertThat(second.ops()).containsExactlyInAnyOrder(Operation.RENAME, Operation.DROP);
        assertThat(rules.quietSeconds()).isEqualTo(60);
    }

    @Test
    void refusesAnUnknownKeyWithTheKnownOnes() {
        assertThatThrownBy(() -> Rules.parse("{\"rules\": [{\"name\": \"x\", \"ops\": [\"delete\"], \"minCnt\": 5}]}", "r.json"))
                .isInstanceOfSatisfying(RewindException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).contains("unknown key 'minCnt'", "minCount");
                    assertThat(e.hint()).contains("docs/detect.md");
                });
        assertThatThrownBy(() -> Rules.parse("{\"quiet\": 5}", "r.json")).hasMessageContaining("unknown key 'quiet'");
    }

    @Test
    void refusesBadValues() {
        assertThatThrownBy(() -> Rules.parse("{\"rules\": [{\"name\": \"x\", \"ops\": [\"remove\"]}]}", "r.json"))
                .hasMessageContaining("unknown op remove");
        assertThatThrownBy(() -> Rules.parse("{\"rules\": [{\"name\": \"x\", \"ops\": [\"delete\"], \"minFraction\": 10}]}", "r.json"))
                .hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> Rules.parse("not json", "r.json")).hasMessageContaining("is not JSON");
        assertThatThrownBy(() -> Rules.parse("{\"quietSeconds\": 0}", "r.json")).hasMessageContaining("whole number from 1");
    }
}
