/** The label selector parser: every operator, whitespace, and errors that point at the offending character. */
package com.kubetelemetry.query.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.resources.LabelRequirement.Op;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorParserTest {

  private static List<LabelRequirement> parse(String s) {
    return LabelSelectorParser.parse(s, "label_selector");
  }

  @Test
  void parsesEveryOperator() {
    assertThat(parse("app=web, tier==front,env != prod,zone in (a, b),team notin (x),canary,!legacy,"
        + "app.kubernetes.io/name=shop"))
        .containsExactly(
            new LabelRequirement("app", Op.EQUALS, List.of("web")),
            new LabelRequirement("tier", Op.EQUALS, List.of("front")),
            new LabelRequirement("env", Op.NOT_EQUALS, List.of("prod")),
            new LabelRequirement("zone", Op.IN, List.of("a", "b")),
            new LabelRequirement("team", Op.NOT_IN, List.of("x")),
            new LabelRequirement("canary", Op.EXISTS, List.of()),
            new LabelRequirement("legacy", Op.NOT_EXISTS, List.of()),
            new LabelRequirement("app.kubernetes.io/name", Op.EQUALS, List.of("shop")));
  }

  @Test
  void blankIsEmptyAndEmptyValuesAreAllowedForEquality() {
    assertThat(parse("  ")).isEmpty();
    assertThat(parse("a=")).containsExactly(new LabelRequirement("a", Op.EQUALS, List.of("")));
    assertThat(parse("index in (1)")).containsExactly(new LabelRequirement("index", Op.IN, List.of("1")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "app=web,|9|expected a label key",
      "app=we b|8|expected ',' between requirements",
      "app in (a,|11|expected a value",
      "app in a|8|expected '('",
      "=web|1|expected a label key",
      "app=-x|5|not a valid label value",
      "app>1|4|expected '=', '==', '!=', 'in', 'notin'",
      "a in (x y)|9|expected ',' or ')'",
      "-app|1|not a valid label key",
      "a!x|3|expected '=' after '!'"})
  void errorsNameThePosition(String selector, int position, String message) {
    assertThatThrownBy(() -> parse(selector))
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.kind()).isEqualTo(QueryException.Kind.INVALID_ARGUMENT);
          assertThat(e.field()).isEqualTo("label_selector");
          assertThat(e.getMessage()).contains("at character " + position + " ").contains(message);
        });
  }

  @Test
  void rejectsTooLongSelectors() {
    assertThatThrownBy(() -> parse("a".repeat(LabelSelectorParser.MAX_LENGTH + 1)))
        .isInstanceOf(QueryException.class).hasMessageContaining("maximum is 4096");
  }
}
